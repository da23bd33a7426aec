package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Feature;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gdb's watch, info watchpoints, delete N and reverse-continue to a watchpoint, on every profile. */
class WatchpointTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  /** One command's text lines. */
  private static List<String> run(Session s, String command) {
    return exec(s, command).text();
  }

  private static Result exec(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  private static Session booted(Profile p) {
    Machine m = Machine.create(p, 1);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    return new Session(m);
  }

  /**
   * The address of the system call number the last entry saved in the current task's pt_regs
   * (orig_ax, 2.x i386's orig_eax, arm64's syscallno): a slot of its kernel stack.
   */
  private static long savedSyscallNr(Machine m) {
    String regs = m.profile().has(Feature.TASK_UNION) // 2.4: no task_pt_regs(); pt_regs ends the task_union
        ? "((struct pt_regs *)((unsigned long)current + THREAD_SIZE) - 1)"
        : "task_pt_regs(current)";
    for (String member : List.of("orig_ax", "orig_eax", "orig_rax", "syscallno")) {
      if (m.struct("pt_regs").has(member)) {
        return TestMachines.eval(m, "(unsigned long)&" + regs + "->" + member);
      }
    }
    throw new AssertionError("no saved system call number in " + m.profile().label());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aWatchOnInitTaskThreadStopsAtTheFirstStepThatWritesIt(Profile p) {
    Session s = new Session(Machine.create(p, 1));
    String before = run(s, "p init_task.thread").get(0).replaceFirst("^\\$\\d+ = ", "");
    assertThat(run(s, "watch init_task.thread")).containsExactly("Watchpoint 1: init_task.thread");
    Result hit = exec(s, "boot");
    assertThat(hit.json()).containsEntry("stop", "watchpoint");
    String said = String.join("\n", hit.text());
    assertThat(said).contains("Watchpoint 1: init_task.thread\n\nOld value = " + before
        + "\nNew value = {").contains("Changed by the step 0x").contains(" on cpu 0 (pid ");
    String after = run(s, "p init_task.thread").get(0).replaceFirst("^\\$\\d+ = ", "");
    assertThat(said).contains("New value = " + after + "\n");
    for (int i = 0; i < 50 && !exec(s, "continue").json().get("stop").equals("done"); i++) {
      assertThat(s.machine().inspector().pendingCommand()).isEqualTo("boot");
    }
    assertThat(s.machine().inspector().pendingCommand()).isNull();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aStackSlotWatchedByAddressStopsTheSystemCallThatWritesIt(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    long slot = savedSyscallNr(s.machine());
    String expr = String.format("*(long *)0x%x", slot);
    assertThat(run(s, "watch " + expr)).containsExactly("Watchpoint 1: " + expr);
    Result hit = exec(s, "syscall getpid()");
    assertThat(hit.json()).containsEntry("stop", "watchpoint");
    assertThat(String.join("\n", hit.text())).contains("Old value = ").contains("New value = ")
        .containsPattern("on cpu 0 \\(pid \\d+, sh\\)");
    assertThat(exec(s, "continue").json()).containsEntry("stop", "done");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reverseContinueStopsJustBeforeThePreviousChange(Profile p) {
    Session s = booted(p);
    run(s, "spawn sh");
    String now = run(s, "p init_task.thread").get(0).replaceFirst("^\\$\\d+ = ", "");
    run(s, "watch init_task.thread");
    Result back = exec(s, "reverse-continue");
    assertThat(back.json()).containsEntry("stop", "watchpoint");
    String said = String.join("\n", back.text());
    assertThat(said).contains("Old value = " + now + "\n").contains("step(s) back");
    String earlier = run(s, "p init_task.thread").get(0).replaceFirst("^\\$\\d+ = ", "");
    assertThat(said).contains("New value = " + earlier + "\n");
    Result again = exec(s, "continue"); // the step taken back writes it again
    assertThat(again.json()).containsEntry("stop", "watchpoint");
    assertThat(String.join("\n", again.text())).contains("Old value = " + earlier + "\n")
        .contains("New value = " + now + "\n");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void stepiStopsAtTheStepThatChangesAWatchedValue(Profile p) {
    Session s = new Session(Machine.create(p, 1));
    run(s, "watch init_task.thread");
    Result r = exec(s, "stepi 1000000");
    assertThat(r.json()).containsEntry("stop", "watchpoint");
    long steps = s.machine().timeline().steps();
    assertThat(steps).isLessThan(1000000);
    run(s, "reverse-stepi");
    run(s, "delete");
    run(s, "stepi");
    assertThat(s.machine().timeline().steps()).isEqualTo(steps);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void infoWatchpointsListsThemAndDeleteRemovesOneOrAll(Profile p) {
    Session s = booted(p);
    assertThat(run(s, "info watchpoints")).containsExactly("No watchpoints.");
    run(s, "watch init_task.thread");
    run(s, "watch init_task.comm");
    assertThat(run(s, "info watchpoints")).hasSize(2).first().asString()
        .startsWith("1   watchpoint  init_task.thread  (");
    assertThat(run(s, "delete 1")).containsExactly("Deleted watchpoint 1.");
    assertThat(run(s, "info watchpoints")).singleElement().asString()
        .startsWith("2   watchpoint  init_task.comm  (16 bytes at 0x");
    assertThatThrownBy(() -> run(s, "delete 7")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("no watchpoint number 7");
    run(s, "delete");
    assertThat(run(s, "info watchpoints")).containsExactly("No watchpoints.");
    assertThat(exec(s, "spawn sh").json()).containsEntry("stop", "done");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anExpressionThatNamesNoObjectIsRefusedWithTheReason(Profile p) {
    Session s = booted(p);
    var regs = s.machine().arch().registers();
    assertThatThrownBy(() -> run(s, "watch $" + regs.name(regs.sp)))
        .isInstanceOf(ScriptError.class).hasMessageContaining("is not an lvalue");
    assertThatThrownBy(() -> run(s, "watch 1 + 2")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("watch: 1 + 2 is not an lvalue");
    assertThatThrownBy(() -> run(s, "watch")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("usage: watch EXPR");
    assertThatThrownBy(() -> run(s, "watch *(long *)0")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("cannot access memory at address 0x0");
    assertThat(run(s, "info watchpoints")).containsExactly("No watchpoints.");
  }
}
