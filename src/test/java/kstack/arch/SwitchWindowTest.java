package kstack.arch;

import kstack.stack.WordKind;
import kstack.stack.StackKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import kstack.TestMachines;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.stack.StackWord;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bt at every step of a context switch and of a new child's ret_from_fork, on every profile:
 * the frames are always on a known stack, the window where the stack pointer is already on next's
 * stack while current is still prev is named, and a child's first steps show its pt_regs and user
 * frames.
 */
class SwitchWindowTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  /** Where the switch code starts: the asm routine, arm64's cpu_switch_to, or 2.x's schedule(). */
  private static String switchEntry(Profile p) {
    return p.arch().equals("arm64") ? "cpu_switch_to"
        : p.kernel().equals("4.16") || p.kernel().equals("6.x") ? "__switch_to_asm" : "schedule";
  }

  private static final Set<String> SWITCH = Set.of("__switch_to_asm", "__switch_to",
      "cpu_switch_to", "schedule", "__schedule");

  private static Machine withChild(Profile p) {
    Machine m = TestMachines.spawned(p);
    m.syscall("pipe", List.of());
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void btInTheSwitchWindowUnwindsTheNextTasksStack(Profile p) {
    Machine m = withChild(p);
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    m.addBreakpoint(switchEntry(p));
    Outcome o = m.syscall("read", List.of(Machine.Arg.of(3), Machine.Arg.of(16)));
    assertThat(o.stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    sweepTheSwitch(m);
  }

  /**
   * The same into a task that was switched out before: the idle task, after a nanosleep (2.6.32
   * x86_64 resumes it at schedule's thread_return label).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void btInTheSwitchWindowUnwindsASwitchedOutTasksStack(Profile p) {
    Machine m = TestMachines.spawned(p);
    m.addBreakpoint(switchEntry(p));
    Outcome o = m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    assertThat(o.stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    sweepTheSwitch(m);
  }

  /** Steps from the switch code's first step until next runs its own code again, bt at each. */
  private static void sweepTheSwitch(Machine m) {
    m.deleteBreakpoints();
    boolean inactiveTaskFrame = m.symbols().get("__switch_to_asm") != null;
    boolean window = false;
    boolean switched = false;
    for (int i = 0; i < 200; i++) {
      long pc = m.cpu(0).pc();
      String fn = m.symbols().functionName(pc);
      if (switched && !SWITCH.contains(fn)) {
        break;
      }
      switched |= fn.equals("__switch_to") || fn.equals("cpu_switch_to");
      List<Frame> bt = m.inspector().backtrace(null);
      String at = "step " + i + " at " + m.describe(pc) + ": " + bt;
      assertThat(bt.get(0).function()).as(at).isEqualTo(fn);
      assertThat(bt).as(at).extracting(Frame::stack).doesNotContain(StackKind.UNKNOWN);
      assertThat(bt).as(at).extracting(Frame::function).doesNotContain(Frame.STOPPED);
      List<String> fns = bt.stream().map(Frame::function).toList();
      assertThat(fns).as("a frame in the scheduler or the child's ret_from_fork: " + at)
          .containsAnyOf("__schedule", "schedule", "thread_return", "ret_from_fork",
              "ret_from_fork_asm");
      if (fns.contains("ret_from_fork") || fns.contains("ret_from_fork_asm")
          || fns.contains("main")) {
        assertThat(bt.get(bt.size() - 1).stack()).as("ends in user frames: " + at)
            .isEqualTo(StackKind.USER);
      }
      window |= bt.get(0).note().contains("stack of pid") || bt.get(0).note().contains("'s stack");
      if (bt.get(0).note().contains("current is still") && inactiveTaskFrame) {
        // prev's own stack, read by `stack`, shows the inactive_task_frame it saved at thread.sp
        assertThat(m.inspector().stack(null)).as("stack of prev " + at).extracting(StackWord::kind)
            .contains(WordKind.SWITCH);
      }
      m.stepi(1);
    }
    assertThat(switched).isTrue();
    assertThat(window).as("the window is named").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyStepOfANewChildsRetFromForkShowsItsPtRegsAndUserFrames(Profile p) {
    Machine m = withChild(p);
    String rff = m.symbols().get("ret_from_fork_asm") != null ? "ret_from_fork_asm"
        : "ret_from_fork";
    m.addBreakpoint(rff);
    Outcome o = m.syscall("clone", List.of(Machine.Arg.of(17)));
    if (o.stop() != Outcome.Stop.BREAKPOINT) {
      o = m.syscall("read", List.of(Machine.Arg.of(3), Machine.Arg.of(16)));
    }
    assertThat(o.stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.deleteBreakpoints();
    long child = m.current();
    for (int i = 0; i < 8; i++) {
      List<Frame> bt = m.inspector().backtrace(null);
      String at = "step " + i + " at " + m.describe(m.cpu(0).pc()) + ": " + bt;
      assertThat(bt).as(at).extracting(Frame::function).contains("--- pt_regs ---", "main");
      assertThat(bt.get(bt.size() - 1).stack()).as(at).isEqualTo(StackKind.USER);
      m.stepi(1);
      if (m.current() != child) {
        break;
      }
    }
  }
}
