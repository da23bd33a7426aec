package kstack.arch;

import kstack.stack.StackKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.TestMachines;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bt at every step of a system call, from the entry's first instruction until the task is back in
 * user mode: every frame is on a stack kstack can name, and no walk reads memory that is not there.
 * The entry's first steps are the hard ones: x86_64's SYSCALL leaves rsp on the user stack, then
 * the entry's first push starts on the empty task stack; arm64's frame pointer and link register
 * are still the user's.
 */
class SyscallStepsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyStepOfASystemCallHasABacktraceOnKnownStacks(Profile p) {
    Machine m = TestMachines.spawned(p);
    String entry = List.of("entry_SYSCALL_64", "system_call", "entry_INT80_32", "el0t_64_sync",
        "el0_sync").stream().filter(s -> m.symbols().get(s) != null).findFirst().orElseThrow();
    m.addBreakpoint(entry);
    assertThat(m.syscall("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.deleteBreakpoints();
    java.util.Set<List<String>> userParts = new java.util.HashSet<>();
    int steps = 0;
    for (; steps < 400 && !m.inspector().isWaitingForCommand(0); steps++) {
      List<Frame> bt = m.inspector().backtrace(null);
      String at = "at " + m.describe(m.cpu(0).pc()) + ": " + bt;
      assertThat(bt).as(at).extracting(Frame::stack).doesNotContain(StackKind.UNKNOWN);
      assertThat(bt).as(at).extracting(Frame::function).doesNotContain(Frame.STOPPED);
      long userTop = m.arch().userTop();
      assertThat(bt).as("a user address is never a kernel frame: " + at)
          .filteredOn(f -> f.stack() != StackKind.USER && !f.function().startsWith("---"))
          .allSatisfy(f -> assertThat(Long.compareUnsigned(f.address(), userTop)).isPositive());
      List<String> user = bt.stream().filter(f -> f.stack() == StackKind.USER)
          .map(f -> f.function() + "@" + f.address()).toList();
      if (!user.isEmpty() && bt.get(0).stack() != StackKind.USER) {
        userParts.add(user);
      }
      m.stepi(1);
    }
    assertThat(userParts).as("the same user frames at every step that shows them").hasSizeLessThan(2);
    assertThat(steps).isGreaterThan(5).isLessThan(400);
  }
}
