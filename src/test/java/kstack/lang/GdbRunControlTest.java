package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gdb's tbreak, advance, display, undisplay and info display, on every profile. */
class GdbRunControlTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static Result exec(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  private static List<String> run(Session s, String command) {
    return exec(s, command).text();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aTemporaryBreakpointStopsOnceAndIsThenDeleted(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    String fn = TestMachines.insideWrite(p);
    assertThat(run(s, "tbreak " + fn).get(0)).startsWith("Temporary breakpoint 1 at 0x");
    Result hit = exec(s, "syscall write(1, \"x\")");
    assertThat(hit.json()).containsEntry("stop", "breakpoint");
    assertThat(hit.text()).contains("Temporary breakpoint at " + fn + " deleted.");
    assertThat(run(s, "info breakpoints")).containsExactly("No breakpoints.");
    assertThat(exec(s, "continue").json()).containsEntry("stop", "done");
    assertThat(exec(s, "syscall write(1, \"x\")").json()).containsEntry("stop", "done");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void breakAfterTbreakMakesTheBreakpointLast(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    String fn = TestMachines.insideWrite(p);
    run(s, "tbreak " + fn);
    run(s, "break " + fn);
    assertThat(exec(s, "syscall write(1, \"x\")").text()).noneMatch(l -> l.startsWith("Temporary"));
    assertThat(run(s, "info breakpoints")).containsExactly(fn);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void advanceRunsUntilTheSelectedCpuReachesTheLocation(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    String fn = TestMachines.insideWrite(p);
    run(s, "tbreak " + fn);
    run(s, "syscall write(1, \"x\")");
    String caller = TestMachines.functions(s.machine(), null).get(1);
    run(s, "continue");
    run(s, "tbreak " + caller);
    run(s, "syscall write(1, \"y\")");
    var regs = s.machine().arch().registers();
    Result adv = exec(s, "advance " + fn);
    assertThat(adv.json()).containsEntry("stop", "stepped");
    assertThat(adv.text().get(adv.text().size() - 1)).startsWith("Advanced to " + fn + " on cpu 0");
    assertThat(run(s, "info symbol $" + regs.name(regs.pc)).get(0)).startsWith(fn + " ");
    assertThat(exec(s, "continue").json()).containsEntry("stop", "done");
    assertThatThrownBy(() -> run(s, "advance no_such_fn")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("advance: no function named no_such_fn");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void displaysAreShownAfterEveryExecutionCommandUntilUndisplayed(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThat(run(s, "display current->pid - current->pid")).containsExactly(
        "1: current->pid - current->pid = 0");
    assertThat(run(s, "display/x 255")).containsExactly("2: /x 255 = 0xff");
    assertThat(run(s, "info display")).containsExactly("Auto-display expressions now in effect:",
        "Num Expression", "1   current->pid - current->pid", "2   /x 255");
    Result r = exec(s, "syscall getpid()");
    assertThat(r.text()).endsWith("1: current->pid - current->pid = 0", "2: /x 255 = 0xff");
    assertThat(r.json()).containsKey("displays");
    run(s, "undisplay 1");
    assertThat(run(s, "syscall getpid()")).endsWith("2: /x 255 = 0xff")
        .noneMatch(l -> l.startsWith("1: "));
    assertThatThrownBy(() -> run(s, "undisplay 9")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("no display number 9");
    run(s, "undisplay");
    assertThat(run(s, "info display")).containsExactly(
        "There are no auto-display expressions now.");
    assertThat(exec(s, "syscall getpid()").json()).doesNotContainKey("displays");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reverseContinueGoesBackToTheLastBreakpointHitAndForwardAgain(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    String fn = TestMachines.insideWrite(p);
    run(s, "break " + fn);
    run(s, "syscall write(1, \"x\")");
    long steps = s.machine().timeline().steps();
    assertThat(exec(s, "continue").json()).containsEntry("stop", "done");
    Result back = exec(s, "reverse-continue");
    assertThat(back.json()).containsEntry("stop", "breakpoint");
    assertThat(back.text().get(0)).startsWith("Breakpoint at " + fn + " on cpu 0");
    assertThat(s.machine().timeline().steps()).isEqualTo(steps);
    assertThat(exec(s, "continue").json()).containsEntry("stop", "done");
    run(s, "delete");
    Result all = exec(s, "rc");
    assertThat(all.text().get(0)).startsWith("No more reverse-execution history");
    assertThat(s.machine().timeline().undoableSteps()).isZero();
    assertThatThrownBy(() -> run(s, "rc")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("reverse-continue: no step of history to go back over");
  }
}
