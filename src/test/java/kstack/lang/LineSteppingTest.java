package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.exec.Routine;
import kstack.exec.RoutineBuilder;
import kstack.machine.FrameDetails;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * C-level step, next, until and their reverse counterparts on every profile: the lines are the
 * modelled C statements, next steps over calls, reverse-step / reverse-finish come back to the call.
 */
class LineSteppingTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static Result run(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  /** Stopped at the first step (before the prologue) of vfs_write (2.4: pipe_write). */
  private static Session atWrite(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    run(s, "break " + TestMachines.insideWrite(p));
    run(s, "syscall write(1, \"x\")");
    return s;
  }

  private static long pc(Machine m) {
    return m.cpu(m.selectedCpu()).pc();
  }

  private static int depth(Machine m) {
    return (int) m.inspector().backtrace(null).stream().filter(FrameDetails::numbered).count();
  }

  /** Whether the step at pc starts a C statement: past the prologue, not finishing a call. */
  private static boolean statementStart(Machine m, long pc) {
    Routine r = m.routineAt(pc);
    if (r.kind() == Routine.Kind.ASM) {
      return true;
    }
    int i = r.indexOf(pc);
    String text = r.insn(i).text();
    return i >= r.bodyStart() && !RoutineBuilder.continuesCall(text)
        && m.arch().abi().epilogue().stream().noneMatch(e -> e.text().equals(text));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void nextFromAFunctionsEntrySkipsThePrologueToItsFirstStatement(Profile p) {
    Session s = atWrite(p);
    Machine m = s.machine();
    Routine f = m.routineAt(pc(m));
    run(s, "next");
    assertThat(m.routineAt(pc(m))).isSameAs(f);
    assertThat(f.indexOf(pc(m))).isEqualTo(f.bodyStart());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void nextStopsOnlyAtStatementsOfThisFrameOrItsCallersAndStepsOverTheCalls(Profile p) {
    Session s = atWrite(p);
    Machine m = s.machine();
    Routine f = m.routineAt(pc(m));
    int depth = depth(m);
    boolean steppedOver = false;
    for (int i = 0; i < 40 && m.routineAt(pc(m)) == f; i++) {
      long before = m.timeline().steps();
      run(s, "next");
      assertThat(statementStart(m, pc(m))).as(m.inspector().where(0)).isTrue();
      assertThat(depth(m)).as(m.inspector().where(0)).isLessThanOrEqualTo(depth);
      steppedOver |= m.timeline().steps() - before > 3;
    }
    assertThat(m.routineAt(pc(m))).as("left the function through its return").isNotSameAs(f);
    assertThat(steppedOver).as("a call was stepped over as one line").isTrue();
    assertThat(m.inspector().consoleLines()).contains("x");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void stepEntersACalleeAfterItsPrologueAndReverseStepAndReverseFinishComeBackToTheCall(
      Profile p) {
    String caller = atWrite(p).machine().routineAt(
        atWrite(p).machine().inspector().backtrace(null).get(1).address()).name();
    Session s = new Session(TestMachines.spawned(p));
    run(s, "break " + caller);
    run(s, "syscall write(1, \"x\")");
    Machine m = s.machine();
    run(s, "next");
    int depth = depth(m);
    long call = 0;
    for (int i = 0; i < 40 && depth(m) <= depth; i++) {
      call = pc(m);
      run(s, "step");
    }
    assertThat(depth(m)).as("step entered a callee").isEqualTo(depth + 1);
    Routine callee = m.routineAt(pc(m));
    assertThat(callee.indexOf(pc(m))).isEqualTo(callee.bodyStart());
    long inCallee = pc(m);
    run(s, "reverse-step");
    assertThat(pc(m)).as("back at the call").isEqualTo(call);
    run(s, "step");
    assertThat(pc(m)).isEqualTo(inCallee);
    Result back = run(s, "reverse-finish");
    assertThat(pc(m)).isEqualTo(call);
    assertThat(back.text()).last().asString().startsWith("Run back to the call of "
        + callee.name() + ": ");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reverseNextTakesBackOneStatementOfThisFrameOverTheCallsInIt(Profile p) {
    Session s = atWrite(p);
    Machine m = s.machine();
    run(s, "next");
    long first = pc(m);
    run(s, "next");
    long second = pc(m);
    run(s, "next");
    run(s, "reverse-next");
    assertThat(pc(m)).isEqualTo(second);
    run(s, "reverse-next");
    assertThat(pc(m)).isEqualTo(first);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void untilWithoutALocationStopsAtTheNextStatementAsNextDoes(Profile p) {
    Session s = atWrite(p);
    Session t = atWrite(p);
    run(s, "next");
    run(s, "next");
    run(t, "until");
    run(t, "until");
    assertThat(pc(t.machine())).isEqualTo(pc(s.machine()));
  }

  @Test
  void untilLocationStopsAtTheLocationOrWhereTheFrameReturns() {
    Session s = atWrite(Profiles.x86_64_4_16());
    Machine m = s.machine();
    run(s, "until __vfs_write");
    assertThat(m.inspector().where(0)).contains("<__vfs_write>:");
    Session t = atWrite(Profiles.x86_64_4_16());
    run(t, "next");
    run(t, "until schedule");
    assertThat(t.machine().inspector().where(0)).contains("<SyS_write+0x24>:");
    assertThatThrownBy(() -> run(s, "until nosuchfunction")).hasMessageContaining(
        "until: no function named nosuchfunction");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void nextInUserCodeStepsOverACallAndStepEntersIt(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    Machine m = s.machine();
    run(s, "break middle");
    run(s, "call outer(5)");
    run(s, "next");
    assertThat(m.inspector().where(0)).contains("r = inner(");
    Session t = new Session(TestMachines.spawned(p));
    run(t, "break middle");
    run(t, "call outer(5)");
    run(t, "next");
    run(t, "step");
    assertThat(t.machine().routineAt(pc(t.machine())).name()).isEqualTo("inner");
    run(s, "next");
    assertThat(m.routineAt(pc(m)).name()).isEqualTo("middle");
    assertThat(m.inspector().where(0)).contains("return r * 2");
  }

  @Test
  void stepRefusesWhereNothingRunsAndReverseStepWhereNothingRan() {
    Session s = new Session(TestMachines.spawned(Profiles.x86_64_6_19()));
    assertThatThrownBy(() -> run(s, "step")).hasMessageContaining(
        "step: pid 3 (sh), current on cpu 0, waits for a command");
    Session fresh = new Session(Machine.create(Profiles.x86_64_6_19(), 1));
    assertThatThrownBy(() -> run(fresh, "next")).hasMessageContaining(
        "the machine has not booted");
    assertThatThrownBy(() -> run(fresh, "reverse-step")).hasMessageContaining(
        "reverse-step: no step of history to go back over");
    assertThatThrownBy(() -> run(s, "step 0")).hasMessageContaining("the count must be 1");
    assertThatThrownBy(() -> run(s, "reverse-finish 2")).hasMessageContaining("takes no arguments");
  }

  @Test
  void aCountRepeatsTheStepAndTheAliasesAreGdbs() {
    Session a = atWrite(Profiles.i386_4_16());
    Session b = atWrite(Profiles.i386_4_16());
    run(a, "next 3");
    run(b, "n");
    run(b, "n");
    run(b, "n");
    assertThat(pc(a.machine())).isEqualTo(pc(b.machine()));
    run(a, "rn 2");
    run(b, "reverse-next");
    run(b, "reverse-next");
    assertThat(pc(a.machine())).isEqualTo(pc(b.machine()));
  }
}
