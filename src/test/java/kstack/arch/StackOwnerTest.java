package kstack.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.kernel.Kernel;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The task whose stack holds an address is found by the stack's base, on every profile: every
 * hashed task and the idle task by any word of its stack; a child's stack by nobody once reverse
 * execution has undone its fork, and by the child again when history is replayed past it.
 */
class StackOwnerTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyHashedTaskOwnsItsStackAndAnUndoneChildNoLonger(Profile p) {
    Machine m = TestMachines.spawned(p);
    Kernel k = m.kernel();
    long before = m.timeline().steps();
    m.syscall("fork", List.of());
    int child = k.pids.lastPid();
    long task = k.pids.findTask(child);
    long stack = k.stacks.stack(task);
    assertThat(SwitchWindow.stackOwner(k, stack + k.threadSize - 8)).isEqualTo(task);
    for (var e : k.pids.tasks().entrySet()) {
      long s = k.stacks.stack(e.getValue());
      assertThat(SwitchWindow.stackOwner(k, s)).as("pid %d", e.getKey()).isEqualTo(e.getValue());
      assertThat(SwitchWindow.stackOwner(k, s + k.threadSize / 2)).isEqualTo(e.getValue());
    }
    long idle = k.rq.idleTask(0);
    assertThat(SwitchWindow.stackOwner(k, k.stacks.stack(idle) + 64)).isEqualTo(idle);
    long after = m.timeline().steps();
    m.reverseStepi((int) (after - before));
    assertThat(k.pids.findTask(child)).isZero();
    assertThat(SwitchWindow.stackOwner(k, stack + 64)).isZero();
    m.seek(after);
    assertThat(SwitchWindow.stackOwner(k, stack + 64)).isEqualTo(task);
  }
}
