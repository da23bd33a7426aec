package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.trace.Timeline;
import org.junit.jupiter.api.Test;

/**
 * Pid allocation as Linux's alloc_pid does it: cyclic from the last pid, wrapping at pid_max to
 * RESERVED_PIDS past pids in use, pid_max bounded by PID_MAX_LIMIT (4,194,304 on 64-bit, 32,768 on
 * 32-bit), and a clear stop naming fork's error when no pid is left.
 */
class PidTableTest {
  private static PidTable table(int word) {
    return new PidTable(TestTimelines.noCpus(), word);
  }

  @Test
  void pidsWrapAtPidMaxToReservedPidsAndSkipThoseInUse() {
    PidTable t = table(8);
    t.setPidMax(310);
    for (int want = 1; want < 310; want++) {
      int pid = t.allocPid();
      assertThat(pid).isEqualTo(want);
      if (pid != 300 && pid != 302) {
        t.registerTask(pid, 0x1000L * pid);
      }
    }
    assertThat(t.allocPid()).as("after 309 wraps to RESERVED_PIDS, 300 is free").isEqualTo(300);
    t.registerTask(300, 0x300000);
    assertThat(t.allocPid()).as("301 is in use, 302 is free").isEqualTo(302);
  }

  @Test
  void aFullPidSpaceStopsWithWhatLinuxsForkReturns() {
    PidTable t = table(8);
    t.setPidMax(301);
    for (int pid = 1; pid < 301; pid++) {
      t.registerTask(t.allocPid(), pid);
    }
    assertThatThrownBy(t::allocPid).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no free pid below pid_max 301").hasMessageContaining("-EAGAIN");
  }

  @Test
  void pidMaxReachesPidMaxLimitOn64BitAndStaysAtTheDefaultOn32Bit() {
    PidTable wide = table(8);
    assertThat(wide.pidMax()).isEqualTo(32768);
    wide.setPidMax(4_194_304);
    assertThat(wide.pidMax()).isEqualTo(4_194_304);
    assertThatThrownBy(() -> wide.setPidMax(4_194_305)).hasMessageContaining("EINVAL");
    assertThatThrownBy(() -> wide.setPidMax(300)).hasMessageContaining("301..4194304");
    PidTable narrow = table(4);
    assertThat(narrow.pidMaxLimit()).isEqualTo(32768);
    assertThatThrownBy(() -> narrow.setPidMax(32769)).hasMessageContaining("301..32768");
  }

  @Test
  void pidsBeyondTheDefaultAreHandedOutOnceItIsRaised() {
    PidTable t = table(8);
    t.setPidMax(4_194_304);
    int last = 0;
    for (int i = 0; i < 40_000; i++) {
      last = t.allocPid();
      t.registerTask(last, i);
    }
    assertThat(last).isEqualTo(40_000);
  }

  @Test
  void forkOnAMachineWhosePidsRunOutStopsWithThatMessageOnEveryProfile() {
    for (Profile p : Profiles.all()) {
      Machine m = Machine.create(p, 1);
      m.boot();
      m.spawn("sh");
      m.kernel().pids.setPidMax(320);
      assertThatThrownBy(() -> {
        for (int i = 0; i < 400; i++) {
          m.syscall("fork", List.of());
        }
      }).as(p.label()).hasMessageContaining("no free pid below pid_max 320");
      assertThat(m.kernel().pids.tasks().keySet()).as(p.label()).contains(319)
          .noneMatch(pid -> pid >= 320);
    }
  }

  @Test
  void theHashListsEveryPidInUseAscendingAndForgetsAnUnhashedOne() {
    PidTable t = table(8);
    t.setPidMax(4_194_304);
    t.registerTask(4_000_000, 0xA000);
    t.registerTask(7, 0x7000);
    t.registerTask(300, 0x3000);
    t.unregisterTask(300);
    t.unregisterTask(301);
    assertThat(t.tasks()).containsExactly(Map.entry(7, 0x7000L), Map.entry(4_000_000, 0xA000L));
    assertThat(t.findTask(300)).isZero();
    assertThat(t.findTask(4_000_000)).isEqualTo(0xA000);
    assertThat(t.findTask(4_194_303)).isZero();
  }
}
