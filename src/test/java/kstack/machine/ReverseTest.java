package kstack.machine;

import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import kstack.trace.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** reverse-stepi: the machine's steps taken back, byte for byte, and replayed the same way. */
class ReverseTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  static Machine atSyscallEntry(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint(kstack.TestMachines.insideWrite(p));
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    return m;
  }

  private static byte[] stackBytes(Machine m) {
    long stack = m.kernel().stacks.stack(m.current());
    return m.kernelMemory().readBytes(stack, (int) m.kernel().threadSize);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reverseStepiRestoresEveryRegisterAndEveryStackByte(Profile p) {
    Machine m = atSyscallEntry(p);
    long[] regs = m.cpu(0).snapshot();
    byte[] stack = stackBytes(m);
    m.stepi(7);
    assertThat(m.cpu(0).snapshot()).isNotEqualTo(regs);
    m.reverseStepi(7);
    assertThat(m.cpu(0).snapshot()).isEqualTo(regs);
    assertThat(stackBytes(m)).isEqualTo(stack);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void afterReversingContinueReplaysTheSameStepsToTheSameEnd(Profile p) {
    Machine m = atSyscallEntry(p);
    m.deleteBreakpoints();
    long[] atBreak = m.cpu(0).snapshot();
    long stepsAtBreak = m.timeline().steps();
    List<String> first = m.continueRun().events().stream().map(Event::describe).toList();
    long[] end = m.cpu(0).snapshot();
    m.reverseStepi((int) (m.timeline().steps() - stepsAtBreak));
    assertThat(m.cpu(0).snapshot()).isEqualTo(atBreak);
    List<String> again = m.continueRun().events().stream().map(Event::describe).toList();
    assertThat(again).isEqualTo(first).isNotEmpty();
    assertThat(m.cpu(0).snapshot()).isEqualTo(end);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reversingBeforeACommandBeganAbandonsIt(Profile p) {
    Machine m = spawned(p);
    long before = m.timeline().steps();
    m.addBreakpoint(kstack.TestMachines.insideWrite(p));
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    Outcome o = m.reverseStepi((int) (m.timeline().steps() - before + 1));
    assertThat(o.message()).contains("back before 'syscall write' began");
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).doesNotContain("syscall write returned");
    assertThat(m.inspector().consoleLines()).doesNotContain("x");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reverseStepiBeyondTheHistoryIsRefused(Profile p) {
    Machine m = spawned(p);
    int all = m.timeline().undoableSteps();
    assertThatThrownBy(() -> m.reverseStepi(all + 1))
        .hasMessageContaining("only " + all + " step(s) of history");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void reversingToACommandsStartUndoesItsSetUpAndContinueDoesNotRunItAgain(Profile p) {
    Machine m = spawned(p);
    long[] regs = m.cpu(0).snapshot();
    long before = m.timeline().steps();
    m.syscall("getpid", List.of());
    Outcome o = m.reverseStepi((int) (m.timeline().steps() - before));
    assertThat(m.cpu(0).snapshot()).as("the syscall's register set-up is undone").isEqualTo(regs);
    assertThat(o.message()).contains("back before 'syscall getpid' began: its set-up is undone");
    List<String> again = m.continueRun().events().stream().map(Event::describe).toList();
    assertThat(again).noneMatch(e -> e.contains("getpid"));
    assertThat(m.cpu(0).snapshot()).isEqualTo(regs);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aCommandReversedIntoIsPendingAgainAndContinueFinishesIt(Profile p) {
    Machine m = atSyscallEntry(p);
    assertThat(m.continueRun().message()).isEqualTo("syscall write returned 1 (0x1)");
    assertThat(m.inspector().pendingCommand()).isNull();
    Outcome o = m.reverseStepi(3);
    assertThat(o.message()).contains("'syscall write' is pending again");
    assertThat(m.inspector().pendingCommand()).isEqualTo("syscall write");
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).isEqualTo("syscall write returned 1 (0x1)");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anInterruptTakenBackStepByStepLeavesNoFrameBehind(Profile p) {
    Machine m = spawned(p);
    long[] regs = m.cpu(0).snapshot();
    byte[] stack = stackBytes(m);
    long before = m.timeline().steps();
    m.tick();
    m.reverseStepi((int) (m.timeline().steps() - before));
    assertThat(m.cpu(0).snapshot()).isEqualTo(regs);
    assertThat(stackBytes(m)).isEqualTo(stack);
    assertThat(m.inspector().pendingCommand()).isEqualTo("spawn sh");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyStepIsCountedOnceWhetherOrNotItChangedAnything(Profile p) {
    Machine m = atSyscallEntry(p);
    long steps = m.timeline().steps();
    int undoable = m.timeline().undoableSteps();
    m.timeline().beginStep(); // a step that changes nothing (a hlt that stays halted)
    m.timeline().endStep();
    m.timeline().beginStep();
    m.timeline().endStep();
    m.reverseStepi(1);
    assertThat(m.timeline().steps()).isEqualTo(steps + 1);
    assertThat(m.timeline().undoableSteps()).isEqualTo(undoable + 1);
    long pc = m.cpu(0).pc();
    m.reverseStepi(1);
    assertThat(m.cpu(0).pc()).as("the empty step undone, not the one before it").isEqualTo(pc);
  }

  /**
   * A long run (hundreds of system calls, tens of thousands of steps) fingerprinted at seeded
   * random steps; reversed to each of them, newest first, the whole machine is identical to the
   * first time, and from the earliest the command under way finishes as it did.
   */
  @ParameterizedTest
  @MethodSource("profiles")
  void randomPointsOfALongRunAreReachedAgainByteExact(Profile p) {
    Machine m = spawned(p);
    java.util.Random r = new java.util.Random(p.label().hashCode());
    long start = m.timeline().steps();
    java.util.TreeMap<Long, java.util.Map<String, String>> prints = new java.util.TreeMap<>();
    java.util.Map<Long, java.util.Map<String, String>> commandEnds = new java.util.HashMap<>();
    java.util.Random sampling = new java.util.Random(7);
    m.loop().afterStep = () -> {
      if (sampling.nextInt(4000) == 0) {
        prints.put(m.timeline().steps(), Fingerprint.of(m));
      }
    };
    String[] calls = {"getpid", "sched_yield", "getpid", "write"};
    java.util.List<Long> ends = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String call = i % 50 == 25 ? "fork" : calls[r.nextInt(calls.length)];
      m.syscall(call, call.equals("write")
          ? List.of(Machine.Arg.of(1), Machine.Arg.of("x")) : List.of());
      ends.add(m.timeline().steps());
      commandEnds.put(m.timeline().steps(), Fingerprint.of(m));
    }
    m.loop().afterStep = null;
    assertThat(m.timeline().steps() - start).isGreaterThan(20_000);
    assertThat(prints).hasSizeGreaterThan(3);
    for (long at : prints.descendingKeySet()) {
      m.reverseStepi((int) (m.timeline().steps() - at));
      assertThat(Fingerprint.of(m)).as("%s at step %d", p.label(), at).isEqualTo(prints.get(at));
    }
    long earliest = prints.firstKey();
    long end = ends.stream().filter(e -> e >= earliest).findFirst().orElseThrow();
    m.continueRun(); // at a command's last step its goal is reached but not yet reported: pending
    assertThat(Fingerprint.of(m)).as("%s: the command under way at step %d, finished again",
        p.label(), earliest).isEqualTo(commandEnds.get(end));
  }

  /**
   * A long run (hundreds of system calls, forks among them, several checkpoint blocks) fingerprinted
   * at seeded random steps as it first runs; seeks to those steps in random order, back and
   * forward across blocks, each reach the machine exactly as it was, and the end is reached again.
   */
  @ParameterizedTest
  @MethodSource("profiles")
  void randomSeeksBackAndForwardReachEveryFingerprintedStepExactly(Profile p) {
    Machine m = spawned(p);
    java.util.Random r = new java.util.Random(p.label().hashCode() + 1);
    java.util.Map<Long, java.util.Map<String, String>> prints = new java.util.HashMap<>();
    java.util.Random sampling = new java.util.Random(17);
    m.loop().afterStep = () -> {
      if (sampling.nextInt(2500) == 0) {
        prints.put(m.timeline().steps(), Fingerprint.of(m));
      }
    };
    String[] calls = {"getpid", "sched_yield", "write"};
    for (int i = 0; i < 250; i++) {
      String call = i % 60 == 30 ? "fork" : calls[r.nextInt(calls.length)];
      m.syscall(call, call.equals("write")
          ? List.of(Machine.Arg.of(1), Machine.Arg.of("x")) : List.of());
    }
    m.loop().afterStep = null;
    java.util.Map<String, String> end = Fingerprint.of(m);
    java.util.List<Long> order = new java.util.ArrayList<>(prints.keySet());
    java.util.Collections.shuffle(order, r);
    assertThat(order).hasSizeGreaterThan(5);
    for (long at : order) {
      m.seek(at);
      assertThat(Fingerprint.of(m)).as("%s at step %d", p.label(), at).isEqualTo(prints.get(at));
    }
    m.seek(m.timeline().endSteps());
    assertThat(Fingerprint.of(m)).as("%s: the end again", p.label()).isEqualTo(end);
  }
}
