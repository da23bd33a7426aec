package kstack.machine;

import java.util.List;

/**
 * gdb's {@code reverse-continue}: takes steps back, newest first, until a CPU's step taken back
 * leaves it about to execute a breakpoint's address again (the state in which the breakpoint
 * reported, or would have), or a step taken back changes the value a watchpoint watches (the
 * machine is then just before the step that wrote it, gdb's previous watchpoint hit), or the
 * recorded history is exhausted. Each step goes back through
 * {@code reverse-stepi}, so the debugger's own state (the pending goal, what was reported) is
 * restored with it.
 */
final class ReverseContinue {
  private ReverseContinue() {}

  static Outcome run(Machine m, Breakpoints breakpoints, Watchpoints watchpoints) {
    int can = m.timeline().undoableSteps();
    if (can == 0) {
      throw new IllegalArgumentException("reverse-continue: no step of history to go back over");
    }
    int cpus = m.cpuCount();
    long[] before = new long[cpus];
    Outcome last = null;
    for (int n = 0; n < can; n++) {
      for (int c = 0; c < cpus; c++) {
        before[c] = m.cpu(c).pc();
      }
      List<byte[]> later = watchpoints.values();
      last = m.reverseStepi(1);
      for (int c = 0; c < cpus; c++) {
        long pc = m.cpu(c).pc();
        String hit = pc == before[c] ? null : watchpoints.changedBack(m, c, later);
        if (hit != null) {
          m.selectCpu(c);
          return new Outcome(Outcome.Stop.WATCHPOINT, hit + ", " + (n + 1) + " step(s) back",
              List.of());
        }
        if (pc != before[c] && breakpoints.at(pc)) {
          m.selectCpu(c);
          return new Outcome(Outcome.Stop.BREAKPOINT, "Breakpoint at " + m.describe(pc)
              + " on cpu " + c + " (" + m.inspector().whoIsCurrent(c, true) + "), " + (n + 1)
              + " step(s) back", List.of());
        }
      }
    }
    return new Outcome(Outcome.Stop.STEPPED, "No more reverse-execution history: " + can
        + " step(s) back, " + last.message(), List.of());
  }
}
