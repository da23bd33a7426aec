package kstack.machine;

import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A command stopped at a breakpoint keeps its goal: an interrupt given meanwhile nests in it, a
 * second boot resumes the boot, and a command that cannot do anything says why.
 */
class StoppedCommandTest {
  private static Machine stoppedInWrite(Profile p) {
    Machine m = ReverseTest.atSyscallEntry(p);
    assertThat(m.inspector().pendingCommand()).isEqualTo("syscall write");
    return m;
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void aTickAtABreakpointNestsInTheStoppedCommandAndKeepsItsGoal(Profile p) {
    Machine m = stoppedInWrite(p);
    long pc = m.cpu(0).pc();
    long sp = m.cpu(0).sp();
    boolean masked = !m.arch().irqsEnabled(m.kernel(), 0);
    Outcome o = m.tick();
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.inspector().pendingCommand()).isEqualTo("syscall write");
    if (masked) { // held until interrupts are enabled again: taken later, on the write's way
      assertThat(o.message()).contains("the interrupt was held until then");
    } else {
      assertThat(o.message())
          .endsWith("'syscall write' is still stopped there: 'continue' resumes it");
      assertThat(m.cpu(0).pc()).isEqualTo(pc);
      assertThat(m.cpu(0).sp()).isEqualTo(sp);
    }
    assertThat(m.continueRun().message()).as("the breakpoint is not reported twice")
        .isEqualTo("syscall write returned 1 (0x1)");
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void everyInterruptCommandAtABreakpointKeepsTheStoppedCommand(Profile p) {
    List<Runnable> events = new java.util.ArrayList<>();
    Machine m = stoppedInWrite(p);
    events.add(() -> m.irq(3));
    if (m.arch().noNmiReason() == null) {
      events.add(m::nmi);
    }
    if (!m.arch().exceptionNames().isEmpty()) {
      events.add(() -> m.exception("db"));
    }
    for (Runnable e : events) {
      e.run();
      assertThat(m.inspector().pendingCommand()).isEqualTo("syscall write");
    }
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).isEqualTo("syscall write returned 1 (0x1)");
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void aSecondBootAfterABreakpointInPid1ResumesTheBoot(Profile p) {
    Machine m = Machine.create(p, 1);
    String pid1 = m.symbols().get("kernel_init") != null ? "kernel_init" : "init";
    m.addBreakpoint(pid1);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.kernel().pids.findTask(1)).as("pid 1 exists").isNotZero();
    m.deleteBreakpoints();
    assertThat(m.boot().message()).startsWith("boot complete");
    assertThatThrownBy(m::boot).hasMessage("already booted");
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void stepiOnAProcessWaitingForACommandSaysWhyNothingRuns(Profile p) {
    Machine m = spawned(p);
    long steps = m.timeline().steps();
    assertThatThrownBy(() -> m.stepi(2)).hasMessageStartingWith("stepi: pid ")
        .hasMessageContaining("waits for a command at main+");
    assertThat(m.timeline().steps()).isEqualTo(steps);
    Machine idle = Machine.create(p, 1);
    idle.boot();
    assertThatThrownBy(() -> idle.stepi(1)).hasMessageStartingWith("stepi: cpu 0 is idle");
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void schedYieldWithNothingElseRunnableSaysThereWasNoSwitch(Profile p) {
    Machine m = spawned(p);
    for (int i = 0; i < 4 && !m.kernel().rq.runQueue(0).isEmpty(); i++) { // 2.6.11: init is queued
      m.syscall("sched_yield", List.of());
    }
    m.addBreakpoint("__switch_to");
    Outcome o = m.syscall("sched_yield", List.of());
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(o.message()).contains("no context switch: no other task was runnable on cpu 0")
        .endsWith("(the breakpoint at __switch_to was not reached)");
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void steppingAStoppedCommandToItsGoalCompletesIt(Profile p) {
    Machine m = stoppedInWrite(p);
    m.deleteBreakpoints();
    Outcome o = m.stepi(100_000);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(o.message()).isEqualTo("syscall write returned 1 (0x1)");
    assertThat(m.inspector().pendingCommand()).isNull();
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void steppingANestedInterruptBackToWhereItInterruptedEndsItThere(Profile p) {
    Machine m = stoppedInWrite(p);
    if (m.arch().noNmiReason() != null) {
      return; // arm64: no NMI to inject
    }
    m.addBreakpoint(m.symbols().get("default_do_nmi") != null ? "default_do_nmi" : "do_nmi");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.deleteBreakpoints();
    Outcome o = m.stepi(100_000);
    assertThat(o.message()).contains("nmi: the interrupted code resumed at",
        "'syscall write' is still stopped there");
    assertThat(m.inspector().pendingCommand()).isEqualTo("syscall write");
  }

  @org.junit.jupiter.api.Test
  void aTickRefusedOnACpuNotYetRunningQueuesNoTimer() {
    Machine m = Machine.create(kstack.catalog.Profiles.all().get(2), 2);
    m.addBreakpoint("start_kernel");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.selectCpu(1);
    assertThatThrownBy(m::tick).hasMessage("cpu 1 is not running");
    assertThat(m.kernel().timers.pendingTimers()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kstack.machine.ReverseTest#profiles")
  void aRefusedWriteLeavesTheProcessMemoryAsItWas(Profile p) {
    Machine m = spawned(p);
    byte[] before = m.inspector().readBytes(UserCalls.BUF, 8);
    assertThatThrownBy(() -> m.syscall("write", List.of(Machine.Arg.of("one"),
        Machine.Arg.of("hi")))).hasMessageContaining("expected a number");
    assertThat(m.inspector().readBytes(UserCalls.BUF, 8)).isEqualTo(before);
  }
}
