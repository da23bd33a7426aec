package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.trace.JCell;
import org.junit.jupiter.api.Test;

/** The run loop's goals: reached, idle, stopped at a breakpoint and resumed, nested. */
class RunLoopTest {

  private static Machine booted() {
    return TestMachines.spawned(Profiles.x86_64_6_19());
  }

  @Test
  void aGoalAlreadyReachedOnASettledMachineCompletesWithoutAStep() {
    Machine m = booted();
    long steps = m.timeline().steps();
    Outcome o = m.loop().start(new Goal("now", () -> true, () -> "reached"));
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(o.message()).isEqualTo("reached");
    assertThat(m.timeline().steps()).isEqualTo(steps);
    assertThat(m.inspector().pendingCommand()).isNull();
  }

  @Test
  void aGoalNothingLeftToRunCanReachEndsIdleSayingWhyAndIsNoLongerPending() {
    Machine m = booted();
    Outcome o = m.loop().start(new Goal("never", () -> false, () -> "reached",
        () -> "nothing will reach it"));
    assertThat(o.stop()).isEqualTo(Outcome.Stop.IDLE);
    assertThat(o.message()).isEqualTo("nothing will reach it");
    assertThat(m.inspector().pendingCommand()).isNull();
    Outcome generic = m.loop().start(new Goal("never", () -> false, () -> "reached"));
    assertThat(generic.message()).isEqualTo("machine idle before 'never' completed: nothing left "
        + "to run");
  }

  @Test
  void aBreakpointStopsTheRunWithTheGoalPendingAndContinueReachesIt() {
    Machine m = booted();
    m.addBreakpoint("schedule");
    Outcome stopped = m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    assertThat(stopped.stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(stopped.message()).startsWith("Breakpoint at schedule on cpu 0");
    assertThat(m.inspector().pendingCommand()).isEqualTo("syscall nanosleep");
    assertThatThrownBy(() -> m.syscall("getpid", List.of()))
        .hasMessage("'syscall nanosleep' is stopped at a breakpoint: 'continue' it first");
    m.deleteBreakpoints();
    Outcome done = m.continueRun();
    assertThat(done.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(done.message()).as("blocked in the sleep: the goal of a call that blocks")
        .isEqualTo("syscall nanosleep: pid 3 blocked (state S)");
    assertThat(m.inspector().pendingCommand()).isNull();
  }

  @Test
  void aGoalGivenWhileAnotherIsStoppedNestsAndHandsTheMachineBack() {
    Machine m = booted();
    m.addBreakpoint("schedule");
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    Goal outer = m.loop().control().pending();
    JCell<Integer> stepsTaken = new JCell<>(m.timeline(), 0);
    Outcome inner = m.loop().start(new Goal("three steps", () -> {
      stepsTaken.set(stepsTaken.get() + 1);
      return stepsTaken.get() > 3;
    }, () -> "inner done").nestedIn(outer, m.loop().control().stops()));
    assertThat(inner.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(inner.message()).isEqualTo("inner done");
    assertThat(m.loop().control().pending()).as("the stopped command is pending again")
        .isSameAs(outer);
  }

  @Test
  void everyCommandOnAPanickedMachineIsRefused() {
    Machine m = booted();
    m.kernel().panic("test panic");
    assertThatThrownBy(() -> m.loop().start(new Goal("x", () -> true, () -> "")))
        .hasMessageContaining("the kernel has panicked (test panic): the machine is halted");
    assertThatThrownBy(m::tick).hasMessageContaining("the machine is halted");
  }
}
