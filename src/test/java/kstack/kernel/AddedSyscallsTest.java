package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** exit_group and clock_nanosleep (issue 8, items 15 and 16) on every profile that has them. */
class AddedSyscallsTest {
  private static final List<Profile> ALL_BUT_24 = List.of(Profiles.x86_64_2_6_32(),
      Profiles.x86_64_4_16(), Profiles.x86_64_6_19(), Profiles.arm64_4_16(), Profiles.arm64_6_19(),
      Profiles.i386_2_6_11(), Profiles.i386_2_6_32(), Profiles.i386_4_16(), Profiles.i386_6_19());

  private static List<String> chain(Machine m) {
    return m.inspector().backtrace(null).stream().takeWhile(f -> !f.function().startsWith("---"))
        .map(Frame::function).toList();
  }

  private static Machine sh(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("sh");
    return m;
  }

  @Test
  void exitGroupGoesThroughDoGroupExitAndDoExitToTheLastSchedule() {
    for (Profile p : ALL_BUT_24) {
      Machine m = sh(p);
      boolean taskDead = p.has(kstack.profile.Feature.KERNEL_CLONE)
          || p.has(kstack.profile.Feature.DO_FORK);
      int pid = m.kernel().tasks.pid(m.current());
      m.addBreakpoint(taskDead ? "__schedule" : "schedule");
      m.syscall("exit_group", List.of(Machine.Arg.of(5)));
      List<String> c = chain(m);
      int dead = c.indexOf("do_task_dead");
      int exit = c.indexOf("do_exit");
      int group = c.indexOf("do_group_exit");
      assertThat(exit).as(p.label() + " " + c).isPositive();
      assertThat(group).as(p.label() + " " + c).isEqualTo(exit + 1);
      if (taskDead) {
        assertThat(dead).as(p.label() + " " + c).isEqualTo(exit - 1);
      }
      m.deleteBreakpoints();
      m.continueRun();
      assertThat(m.kernel().tasks.isZombie(m.inspector().findTaskByVpid(pid))).as(p.label()).isTrue();
      assertThat(m.kernel().tasks.taskRead(m.inspector().findTaskByVpid(pid), TaskMember.exit_code)).isEqualTo(5 << 8);
    }
  }

  @Test
  void clockNanosleepSleepsThroughTheGenerationsChain() {
    for (Profile p : ALL_BUT_24) {
      Machine m = sh(p);
      m.addBreakpoint("schedule");
      m.syscall("clock_nanosleep", List.of(Machine.Arg.of(0), Machine.Arg.of(3_000_000)));
      List<String> c = chain(m);
      if (p.has(kstack.profile.Feature.NO_HRTIMERS)) {
        assertThat(c).as(p.label()).startsWith("schedule", "do_clock_nanosleep",
            "sys_clock_nanosleep");
      } else {
        assertThat(c).as(p.label()).startsWith("schedule", "do_nanosleep", "hrtimer_nanosleep");
        assertThat(c).as(p.label()).contains(kstack.kernel.SiblingCall.on(m.kernel())
            ? "do_nanosleep" : "common_nsleep");
      }
      m.deleteBreakpoints();
      m.continueRun(); // the system call's own goal: it blocks
      m.run();
      assertThat(m.kernel().timers.now()).as(p.label()).isGreaterThanOrEqualTo(3_000_000);
      assertThat(m.cpu(0).get(m.arch().registers().ret) & 0xffffffffL).as(p.label()).isZero();
    }
  }

  @Test
  void theTwoFourProfileRefusesTheCallsItLacksWithTheReason() {
    Machine m = sh(Profiles.i386_2_4());
    assertThatThrownBy(() -> m.syscall("exit_group", List.of(Machine.Arg.of(0))))
        .hasMessageContaining("no system call exit_group").hasMessageContaining("2.5.35");
    assertThatThrownBy(() -> m.syscall("clock_nanosleep", List.of(Machine.Arg.of(0),
        Machine.Arg.of(1)))).hasMessageContaining("2.5.63");
    Machine old = sh(Profiles.x86_64_4_16());
    assertThatThrownBy(() -> old.syscall("clone3", List.of(Machine.Arg.of(0))))
        .hasMessageContaining("5.3");
  }
}
