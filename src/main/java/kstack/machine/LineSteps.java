package kstack.machine;

import java.util.List;
import kstack.machine.SourceLines.Move;
import kstack.trace.Event;

/**
 * gdb's C-level stepping on the selected CPU, forward ({@code step}, {@code next}, {@code until},
 * {@code until LOCATION}) and back in time ({@code reverse-step}, {@code reverse-next},
 * {@code reverse-finish}), one machine step at a time through {@code stepi} and
 * {@code reverse-stepi}, so that everything those keep (the pending command, the journal) stays as
 * they keep it. Lines are {@link SourceLines}'; "over a call" is counted by the calls and returns
 * the steps make (a depth), not by comparing stack pointers, so a system call from user mode, an
 * exception, a recursion and a tail call are stepped over alike.
 */
final class LineSteps {
  /** Which command. */
  enum Kind {
    STEP("step"), NEXT("next"), UNTIL("until"), REVERSE_STEP("reverse-step"),
    REVERSE_NEXT("reverse-next"), REVERSE_FINISH("reverse-finish");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  private final Machine m;
  private final Breakpoints breakpoints;
  private final SourceLines lines;
  private final int cpu;

  private LineSteps(Machine m, Breakpoints breakpoints) {
    this.m = m;
    this.breakpoints = breakpoints;
    this.lines = new SourceLines(m);
    this.cpu = m.selectedCpu();
  }

  static Outcome run(Machine m, Breakpoints breakpoints, Kind kind) {
    LineSteps s = new LineSteps(m, breakpoints);
    return switch (kind) {
      case STEP, NEXT, UNTIL -> s.forward(kind, 0);
      default -> s.backward(kind);
    };
  }

  /** {@code until LOCATION}: forward until the CPU is about to run LOCATION or this frame returns. */
  static Outcome until(Machine m, Breakpoints breakpoints, String location) {
    return new LineSteps(m, breakpoints).forward(Kind.UNTIL, Advance.location(m, "until",
        location));
  }

  /**
   * Steps until a line starts: any line ({@code step}); one in this frame or, once it returned,
   * its caller's ({@code next}); for {@code until}, a line past this one in this frame (a jump back
   * to an earlier line runs on), or the target address.
   */
  private Outcome forward(Kind kind, long target) {
    String why = Stepping.whyNothingToStep(m, cpu);
    if (why != null) {
      throw new IllegalStateException(kind.word + ": " + why);
    }
    int firstEvent = m.timeline().events().size();
    var c = m.cpu(cpu);
    long start = c.pc();
    int depth = 0;
    for (long n = 0; n < m.maxSteps(); n++) {
      if (n > 0 && Stepping.whyNothingToStep(m, cpu) != null) {
        return stepped(firstEvent, " (" + kind.word + " ended at a wait point: nothing more to run"
            + " on cpu " + cpu + ")");
      }
      long from = c.pc();
      Outcome o = m.stepi(1);
      if (o.stop() != Outcome.Stop.STEPPED || m.kernel().panicked() != null) {
        return new Outcome(o.stop(), o.message(), events(firstEvent));
      }
      long pc = c.pc();
      Move mv = lines.move(from, pc, lines.returnPc(c));
      boolean returned = depth == 0 && mv == Move.RETURN; // this frame returned to its caller
      depth = Math.max(0, depth + (mv == Move.CALL ? 1 : mv == Move.RETURN ? -1 : 0));
      if (target != 0) {
        if (pc == target || returned) {
          return stepped(firstEvent, "");
        }
      } else if (kind == Kind.STEP || depth == 0) {
        if (lines.startsLine(pc) && !(kind == Kind.UNTIL && backward(start, pc))) {
          return stepped(firstEvent, "");
        }
      }
      if (depth > 0 && breakpoints.at(pc)) {
        return new Outcome(Outcome.Stop.BREAKPOINT, "Breakpoint at " + m.describe(pc) + " on cpu "
            + cpu + " (" + m.inspector().whoIsCurrent(cpu, true) + ")", events(firstEvent));
      }
    }
    return stepped(firstEvent, " ('" + kind.word + "' did not reach a line within "
        + m.maxSteps() + " steps: a runaway? 'set max-steps N' allows more)");
  }

  /** Whether pc is an earlier (or the same) step of the routine start is in: a jump back. */
  private boolean backward(long start, long pc) {
    var r = m.routineAt(start);
    return r != null && r.contains(pc) && Long.compareUnsigned(pc, start) <= 0;
  }

  /**
   * Takes steps back until a line starts: any line ({@code reverse-step}), one of this frame or its
   * caller's ({@code reverse-next}), or the call of this function ({@code reverse-finish}). A step
   * taken back that was another CPU's leaves this CPU where it is and counts for nothing.
   */
  private Outcome backward(Kind kind) {
    int can = m.timeline().undoableSteps();
    if (can == 0) {
      throw new IllegalArgumentException(kind.word + ": no step of history to go back over");
    }
    var c = m.cpu(cpu);
    int depth = 0;
    Outcome last = null;
    for (int n = 0; n < can; n++) {
      long later = c.pc();
      long returnPc = lines.returnPc(c);
      last = m.reverseStepi(1);
      if (last.message().contains("back before '")) {
        return last; // a command's set-up taken back: its debugger-made jump is no call or return
      }
      long pc = c.pc();
      if (pc == later) {
        continue;
      }
      Move mv = lines.move(pc, later, returnPc);
      depth += mv == Move.RETURN ? 1 : mv == Move.CALL ? -1 : 0;
      if (kind == Kind.REVERSE_FINISH) {
        if (depth < 0) {
          return new Outcome(Outcome.Stop.STEPPED, "Run back to the call of " + m.describe(later)
              + ": " + last.message(), List.of());
        }
        continue;
      }
      depth = Math.max(0, depth);
      if ((kind == Kind.REVERSE_STEP || depth == 0) && lines.startsLine(pc)) {
        return last;
      }
    }
    return new Outcome(Outcome.Stop.STEPPED, "No more reverse-execution history: " + can
        + " step(s) back, " + last.message(), List.of());
  }

  private Outcome stepped(int firstEvent, String note) {
    return new Outcome(Outcome.Stop.STEPPED, m.inspector().where(cpu) + note, events(firstEvent));
  }

  private List<Event> events(int from) {
    List<Event> all = m.timeline().events();
    return List.copyOf(all.subList(Math.min(from, all.size()), all.size()));
  }
}
