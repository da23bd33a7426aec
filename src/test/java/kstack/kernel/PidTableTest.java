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
 * 32-bit), and, when no pid is left, alloc_pidmap's -1 and fork's error returned to user space.
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
  void aFullPidSpaceGivesAllocPidmapsMinusOneAndChangesNothing() {
    PidTable t = table(8);
    t.setPidMax(301);
    for (int pid = 1; pid < 301; pid++) {
      t.registerTask(t.allocPid(), pid);
    }
    int last = t.lastPid();
    assertThat(t.tryAllocPid()).isEqualTo(-1);
    assertThat(t.lastPid()).isEqualTo(last);
    assertThatThrownBy(t::allocPid).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no free pid below pid_max 301");
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
  void forkOnAMachineWhosePidsRunOutReturnsTheGenerationsErrorOnEveryProfile() {
    for (Profile p : Profiles.all()) {
      Machine m = Machine.create(p, 1);
      m.boot();
      m.spawn("sh");
      m.kernel().pids.setPidMax(320);
      String said = "";
      for (int i = 0; i < 400 && !said.contains("returned -"); i++) {
        said = m.syscall("fork", List.of()).message();
      }
      // 2.4, 2.6.11, 6.19: -EAGAIN; 2.6.32: copy_process's -ENOMEM; 4.16: -ENOSPC (read in the
      // source: docs/research/fork-no-free-pid.md)
      String error = p.version().startsWith("4.16") ? "-28" : p.version().startsWith("2.6.32")
          ? "-12" : "-11";
      assertThat(said).as(p.label()).contains("returned " + error + " ");
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
