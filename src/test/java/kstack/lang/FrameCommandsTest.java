package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.machine.FrameDetails;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.stack.Frame;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gdb's frame selection (frame, up, down, info frame, info args, info locals) and bt's options
 * (-f, -F, -r, -n), on every profile, stopped in the write path below the system call.
 */
class FrameCommandsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static List<String> run(Session s, String command) {
    return s.execute(Source.commandLine(1, command)).text();
  }

  private static Result result(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  /** Stopped in vfs_write (pipe_write on 2.4) after its prologue: write(1, "x") from sh. */
  private static Session inWrite(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    run(s, "break " + TestMachines.insideWrite(p));
    run(s, "syscall write(1, \"x\")");
    run(s, "next");
    return s;
  }

  private static long hex(Result r, String key) {
    return Long.parseUnsignedLong(((String) r.json().get(key)).substring(2), 16);
  }

  private static List<Frame> numbered(Machine m) {
    return m.inspector().backtrace(null).stream().filter(FrameDetails::numbered).toList();
  }

  @Nested
  class SelectingAFrame {
    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void frameOneIsTheSystemCallWithTheArgumentsItsFrameHolds(Profile p) {
      Session s = inWrite(p);
      List<Frame> bt = numbered(s.machine());
      assertThat(run(s, "frame 1")).singleElement().asString()
          .startsWith("#1  ").contains(" in " + bt.get(1).function())
          .contains("(fd=1, buf=0x600100, count=1)");
      assertThat(run(s, "info args")).containsExactly("fd = 1", "buf = 0x600100", "count = 1");
      assertThat(run(s, "info locals")).isNotEmpty().noneMatch(l -> l.contains("#"));
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void printReadsTheSelectedFramesParametersByNameFromTheirSlots(Profile p) {
      Session s = inWrite(p);
      assertThat(run(s, "p count")).containsExactly("$1 = 1");
      assertThatThrownBy(() -> run(s, "p fd")).hasMessageContaining("no symbol \"fd\"");
      run(s, "frame 1");
      assertThat(run(s, "p fd")).containsExactly("$2 = 1");
      assertThat(run(s, "p/x buf")).containsExactly("$3 = 0x600100");
      String slot = result(s, "info frame").text().stream().filter(l -> l.startsWith(" Arglist"))
          .findFirst().orElseThrow();
      long record = Long.parseUnsignedLong(slot.substring(slot.indexOf("0x") + 2,
          slot.indexOf(',')), 16);
      int w = s.machine().arch().abi().wordSize();
      assertThat(run(s, "p (unsigned long)&fd == " + (record - w) + "UL")).containsExactly(
          "$4 = 1");
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void upAndDownMoveOneFrameAndStopAtTheEnds(Profile p) {
      Session s = inWrite(p);
      int n = numbered(s.machine()).size();
      assertThat(run(s, "up").get(0)).startsWith("#1  ");
      assertThat(run(s, "up 2").get(0)).startsWith("#3  ");
      assertThat(run(s, "down").get(0)).startsWith("#2  ");
      assertThat(run(s, "up 1000").get(0)).startsWith("#" + (n - 1) + " ");
      assertThatThrownBy(() -> run(s, "up")).hasMessageContaining("Initial frame selected");
      assertThat(run(s, "frame 0").get(0)).startsWith("#0  ");
      assertThatThrownBy(() -> run(s, "down")).hasMessageContaining("Bottom (innermost) frame");
      assertThatThrownBy(() -> run(s, "frame " + n)).hasMessageContaining("no frame at level "
          + n + " (the backtrace has frames #0 to #" + (n - 1) + ")");
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void infoFrameNamesWhereTheRecordAndTheReturnAddressLie(Profile p) {
      Session s = inWrite(p);
      Machine m = s.machine();
      int w = m.arch().abi().wordSize();
      List<Frame> bt = numbered(m);
      run(s, "frame 1");
      Result r = result(s, "info frame");
      long record = hex(r, "record");
      long cfa = hex(r, "cfa");
      assertThat(record).isNotZero();
      assertThat(cfa).isEqualTo(record + 2L * w);
      assertThat(m.inspector().read(record + w, w)).as("the return address word")
          .isEqualTo(bt.get(2).address());
      var regs = m.arch().registers();
      String ret = regs.has("x30") ? "x30" : regs.name(regs.pc);
      assertThat(r.text().get(0)).isEqualTo("Stack level 1, frame at "
          + String.format(m.hexFormat(), cfa) + ":");
      assertThat(r.text()).contains("  " + regs.name(regs.fp) + " at "
          + String.format(m.hexFormat(), record) + ", " + ret + " at "
          + String.format(m.hexFormat(), record + w));
      assertThat(String.join("\n", r.text())).contains("args: fd=1, buf=0x600100, count=1")
          .contains("called by frame at ").contains("caller of frame at ");
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void theInnermostFrameAtAFunctionsEntryHasNoRecordYetAndSaysWhereItsReturnAddressIs(
        Profile p) {
      Session s = new Session(TestMachines.spawned(p));
      run(s, "break " + TestMachines.insideWrite(p));
      run(s, "syscall write(1, \"x\")");
      String info = String.join("\n", run(s, "info frame"));
      assertThat(info).startsWith("Stack level 0, frame at ")
          .contains("no frame record: the prologue has not built it yet; the return address");
      assertThat(run(s, "info args")).containsExactly(
          "No arguments held in frame #0 (it has no frame record)");
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void runningTheMachineSelectsTheInnermostFrameAgain(Profile p) {
      Session s = inWrite(p);
      run(s, "frame 2");
      assertThat(run(s, "info frame").get(0)).startsWith("Stack level 2,");
      run(s, "stepi");
      assertThat(run(s, "info frame").get(0)).startsWith("Stack level 0,");
    }
  }

  @Nested
  class BacktraceOptions {
    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void btDashFShowsEachFramesArgumentsRecordAndReturnAddressWords(Profile p) {
      Session s = inWrite(p);
      Machine m = s.machine();
      List<Frame> bt = numbered(m);
      var regs = m.arch().registers();
      List<String> f = run(s, "bt -f");
      assertThat(f).contains("    args: fd = 1, buf = 0x600100, count = 1");
      String ret = String.format(m.hexFormat(), bt.get(2).address());
      assertThat(f).anyMatch(l -> l.endsWith(": " + ret + "  return address"));
      assertThat(f).anyMatch(l -> l.endsWith("  saved " + regs.name(regs.fp) + " (frame record)"));
      assertThat(f).anyMatch(l -> l.endsWith("  count (argument)"));
      List<String> sym = run(s, "bt -F");
      assertThat(sym).anyMatch(l -> l.endsWith(": " + m.describe(bt.get(2).address())
          + "  return address"));
      assertThat(result(s, "bt -f").json()).containsKey("frame_args");
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void btDashRDumpsTheLiveStackToItsTopAsRdDoes(Profile p) {
      Session s = inWrite(p);
      Machine m = s.machine();
      int w = m.arch().abi().wordSize();
      Result r = result(s, "bt -r");
      long low = hex(r, "low");
      long high = hex(r, "high");
      assertThat(Long.compareUnsigned(low, m.cpu(0).sp())).isLessThanOrEqualTo(0);
      assertThat(r.text().get(0)).startsWith("Raw kernel stack of pid ");
      assertThat(r.text()).hasSize(1 + (int) ((high - low) / w + 16 / w - 1) / (16 / w));
      assertThat(String.join("\n", r.text())).contains("<" + m.describe(
          numbered(m).get(1).address()) + ">");
    }

    @ParameterizedTest
    @MethodSource("kstack.lang.FrameCommandsTest#profiles")
    void btDashNLimitsToTheInnermostOrOutermostFrames(Profile p) {
      Session s = inWrite(p);
      int n = numbered(s.machine()).size();
      List<String> inner = run(s, "bt -n 2");
      assertThat(inner.stream().filter(l -> l.startsWith("#")).toList()).hasSize(2);
      assertThat(inner.get(inner.size() - 1)).isEqualTo("(More stack frames follow...)");
      List<String> outer = run(s, "bt -n -1");
      assertThat(outer.stream().filter(l -> l.startsWith("#")).toList()).singleElement()
          .asString().startsWith("#" + (n - 1) + " ");
      assertThat(run(s, "bt -n " + n)).doesNotContain("(More stack frames follow...)");
      assertThat(run(s, "bt -n 1 1").get(0)).isEqualTo("Backtrace of pid 1 (init)");
    }
  }

  @Test
  void btOptionsThatContradictEachOtherAreRefusedWhereTheyStand() {
    Session s = inWrite(Profiles.x86_64_6_19());
    assertThatThrownBy(() -> run(s, "bt -f -r")).hasMessageContaining("-f, -F and -r are one of");
    assertThatThrownBy(() -> run(s, "bt -n 0")).hasMessageContaining("-n 0 would show no frame");
    assertThatThrownBy(() -> run(s, "bt -n")).hasMessageContaining("-n takes a count");
    assertThatThrownBy(() -> run(s, "bt -r -n 2")).hasMessageContaining("-r dumps the whole");
    ScriptError e = (ScriptError) org.assertj.core.api.Assertions.catchThrowable(
        () -> run(s, "bt 1 -f"));
    assertThat(e.getMessage()).contains("options come before the PID");
    assertThat(e.column()).isEqualTo(6);
    assertThatThrownBy(() -> run(s, "info frame 2")).hasMessageContaining("takes no arguments");
  }
}
