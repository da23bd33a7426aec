package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** record goto (both ways), blame ADDR and set history-budget, on every profile. */
class TimeTravelCommandsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static Result run(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  private static Session spawned(Profile p) {
    return new Session(TestMachines.spawned(p));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void recordGotoGoesBackAndForwardWithoutExecutingAndEndReturnsToTheEnd(Profile p) {
    Session s = spawned(p);
    Machine m = s.machine();
    run(s, "syscall getpid()");
    long end = m.timeline().steps();
    long[] regsAtEnd = m.cpu(0).snapshot();
    Result back = run(s, "record goto " + (end - 40));
    assertThat(back.text().get(back.text().size() - 1)).startsWith("At step " + (end - 40) + " of "
        + end + ": ");
    assertThat(m.timeline().steps()).isEqualTo(end - 40);
    long[] regsThen = m.cpu(0).snapshot();
    run(s, "record goto " + (end - 10));
    assertThat(m.timeline().steps()).isEqualTo(end - 10);
    run(s, "record goto " + (end - 40));
    assertThat(m.cpu(0).snapshot()).isEqualTo(regsThen);
    assertThat(run(s, "info history").text()).anyMatch(l -> l.startsWith("40 later step(s)"
        + " recorded, up to step " + end));
    run(s, "record goto end");
    assertThat(m.timeline().steps()).isEqualTo(end);
    assertThat(m.cpu(0).snapshot()).isEqualTo(regsAtEnd);
    run(s, "record goto begin");
    assertThat(m.timeline().steps()).isZero();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aCommandRunFromThePastDiscardsTheLaterStepsAndRecordsItsOwn(Profile p) {
    Session s = spawned(p);
    Machine m = s.machine();
    long before = m.timeline().steps();
    run(s, "syscall getpid()");
    long end = m.timeline().steps();
    run(s, "record goto " + before);
    assertThat(m.timeline().futureSteps()).isEqualTo(end - before);
    // spawn's last step: its goal reached, not yet reported; continue reports it without a step
    assertThat(run(s, "continue").text()).anyMatch(l -> l.contains("sh"));
    assertThat(run(s, "syscall getpid()").text()).anyMatch(l -> l.contains("getpid returned"));
    assertThat(m.timeline().futureSteps()).isZero();
    assertThat(m.timeline().steps()).as("deterministic: the same steps again").isEqualTo(end);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void recordGotoOutsideTheHistoryIsRefusedWithItsRange(Profile p) {
    Session s = spawned(p);
    long end = s.machine().timeline().steps();
    assertThatThrownBy(() -> run(s, "record goto " + (end + 1)))
        .hasMessageContaining("step " + (end + 1) + " is not in the recorded history, which holds"
            + " steps 0.." + end);
    assertThatThrownBy(() -> run(s, "record goto")).hasMessageContaining("usage: record goto");
    assertThatThrownBy(() -> run(s, "record stop")).hasMessageContaining("usage: record goto");
  }

  /** The member of pt_regs where the entry code keeps the system call number. */
  private static String syscallNumberSlot(Machine m) {
    for (String name : List.of("orig_ax", "orig_eax", "orig_rax", "syscallno")) {
      if (m.struct("pt_regs").has(name)) {
        return name;
      }
    }
    throw new AssertionError("no syscall number in pt_regs");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void blameOfThePtRegsSyscallNumberNamesTheEntryStepItsTaskAndBothValues(Profile p) {
    Session s = spawned(p);
    Machine m = s.machine();
    m.addBreakpoint(TestMachines.insideWrite(p));
    run(s, "syscall write(1, \"x\")");
    long regs = m.arch().taskPtRegs(m.kernel(), m.current());
    long slot = regs + m.struct("pt_regs").offset(syscallNumberSlot(m));
    int word = m.arch().abi().wordSize();
    long now = m.kernelMemory().read(slot, word);
    long here = m.timeline().steps();
    Result r = run(s, String.format("blame 0x%x", slot));
    assertThat(r.json().get("kind")).isEqualTo("step");
    long step = (Long) r.json().get("step");
    assertThat(r.text().get(0)).startsWith(String.format(m.hexFormat()
        + " was last written by step %d: 0x", slot, step)).endsWith(String.format("-> 0x%x", now));
    int pid = m.kernel().tasks.pid(m.current());
    assertThat(r.text().get(1)).startsWith("  cpu 0, pid " + pid + " (sh): ")
        .as("a step of the system call entry").containsPattern(
            "<[^>]*(system_call|entry|el0|svc|syscall)[^>]*>");
    assertThat(m.timeline().steps()).as("blame leaves the machine where it was").isEqualTo(here);
    run(s, "record goto " + (step - 1));
    assertThat(m.kernelMemory().read(slot, word)).isEqualTo(r.json().get("old"))
        .isNotEqualTo(now);
    run(s, "record goto " + step);
    assertThat(m.kernelMemory().read(slot, word)).isEqualTo(now);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void blameOfAnAddressNoRegionHoldsIsRefusedAsUnmapped(Profile p) {
    Session s = spawned(p);
    assertThatThrownBy(() -> run(s, "blame 0x1"))
        .hasMessageContaining("blame: " + String.format(s.machine().hexFormat(), 1L)
            + " is not mapped (no region holds it) and no recorded step wrote it");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void blameOfAWordNoStepWroteSaysItWasThereAtPowerOn(Profile p) {
    Session s = spawned(p);
    Machine m = s.machine();
    long table = m.symbol("init_filename"); // the "/sbin/init" the image holds, never written
    Result r = run(s, String.format("blame 0x%x", table));
    assertThat(r.text()).singleElement().asString().startsWith(String.format("No recorded step wrote "
        + m.hexFormat() + ": it holds 0x", table)).endsWith("since power-on (the kernel image put it"
        + " there)");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void pastASmallHistoryBudgetOldStepsAreThinnedAndInfoHistorySaysSo(Profile p) {
    Session s = spawned(p);
    Machine m = s.machine();
    while (m.timeline().steps() < 20_000) {
      run(s, "syscall getpid()");
    }
    assertThat(run(s, "set history-budget 64K").text()).containsExactly("The recorded history is"
        + " kept within 65536 bytes; older steps are thinned to checkpoints past it.");
    List<String> info = run(s, "info history").text();
    assertThat(info).anyMatch(l -> l.startsWith("thinned: steps 0.."));
    assertThat(info).anyMatch(l -> l.startsWith("history budget: ") && l.contains(" of 65536"
        + " bytes held"));
    Result r = run(s, "record goto 5");
    assertThat(r.text().get(r.text().size() - 1)).startsWith("Step 5 lies in the thinned part of"
        + " the history");
    assertThatThrownBy(() -> run(s, "set history-budget 1K"))
        .hasMessageContaining("history-budget must be at least 64K");
    assertThatThrownBy(() -> run(s, "set history-budget")).hasMessageContaining("usage: set"
        + " history-budget SIZE");
  }
}
