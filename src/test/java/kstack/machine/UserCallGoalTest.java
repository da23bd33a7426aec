package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.kernel.Kernel;
import kstack.mem.Region;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A system call's goal reads the task's state and the region map only when a store or a mapping
 * changed them: it still sees every change, whoever makes it, and answers as a fresh read would.
 */
class UserCallGoalTest {
  static Stream<Profile> profiles() {
    return Stream.of(Profiles.x86_64_6_19(), Profiles.i386_2_4(), Profiles.arm64_6_19());
  }

  /** sh (pid 3) waiting in main, switched out for a second process: not current on any CPU. */
  private static Machine shSwitchedOut(Profile p) {
    Machine m = TestMachines.spawned(p);
    assertThat(m.spawn("cat").stop()).isEqualTo(Outcome.Stop.DONE);
    return m;
  }

  /** The goal of a getpid of task on cpu 0, not reached yet. */
  private static Goal unreached(Machine m, long task) {
    Goal g = new UserCallGoal(m, 0, task, "syscall getpid", "getpid", 0).goal();
    assertThat(RunLoop.reached(g)).as("runnable and switched out").isFalse();
    return g;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theGoalSeesEveryStoreToTheStateOfItsTaskWhoeverMakesIt(Profile p) {
    Machine m = shSwitchedOut(p);
    long sh = m.inspector().taskOrThrow(3);
    Goal g = unreached(m, sh);
    assertThat(RunLoop.reached(g)).as("asked again, nothing changed").isFalse();
    m.kernel().tasks.setState(sh, 1); // a step's store: blocked (TASK_INTERRUPTIBLE)
    assertThat(RunLoop.reached(g)).isTrue();
    m.kernel().tasks.setState(sh, Kernel.TASK_RUNNING); // a wake-up
    assertThat(RunLoop.reached(g)).isFalse();
    long state = sh + m.kernel().tasks.stateMember().offset();
    m.kernel().mem.poke(state, 1, 1); // the timeline undoing a store, unrecorded
    assertThat(RunLoop.reached(g)).isTrue();
    m.kernel().mem.pokeBytes(state, new byte[] {0});
    assertThat(RunLoop.reached(g)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theGoalSeesItsTaskFreedWhenTheRegionHoldingItIsUnmapped(Profile p) {
    Machine m = shSwitchedOut(p);
    long sh = m.inspector().taskOrThrow(3);
    Goal g = unreached(m, sh);
    Region r = m.kernel().mem.regionAt(sh);
    m.kernel().mem.unmap(r);
    assertThat(RunLoop.reached(g)).as("exited and reaped").isTrue();
    m.kernel().mem.map(r);
    assertThat(RunLoop.reached(g)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anotherGoalCountingStoresMeanwhileMakesTheFirstReadAfresh(Profile p) {
    Machine m = shSwitchedOut(p);
    long sh = m.inspector().taskOrThrow(3);
    Goal g = unreached(m, sh);
    Goal other = new UserCallGoal(m, 0, m.current(), "syscall getpid", "getpid", 0).goal();
    assertThat(RunLoop.reached(other)).as("cat waits in main").isTrue();
    m.kernel().tasks.setState(sh, 1);
    assertThat(RunLoop.reached(g)).isTrue();
  }
}
