package kstack.machine;

import java.util.List;
import kstack.trace.Timeline;

/**
 * Moving the machine through its recorded history without executing: {@code reverse-stepi} and
 * gdb's {@code record goto STEP} (either way). The machine is then exactly as it was the moment
 * that step ended, the debugger's own state included (the pending goal and its progress, pending
 * interrupts), since all of it is on the timeline. A command that executes from a point in the
 * past runs live from there and discards the recorded future, as gdb's record-full discards its
 * log when the replayed past is changed; with no new input the machine, deterministic, records the
 * same steps again.
 */
final class TimeTravel {
  private TimeTravel() {}

  /** Seeks to step target and reports the stop: where the selected CPU is, what is pending. */
  static Outcome move(Machine m, RunLoop loop, long target, String prefix) {
    Timeline t = m.timeline();
    ControlState control = loop.control();
    Goal before = control.pending();
    int given = control.begunCount();
    long reached = t.seek(target);
    int kept = control.begunCount();
    Goal undone = kept < given ? control.given(kept) : null; // the first command taken back
    loop.markEvents();
    // a stop, as after stepi: the breakpoint at this pc is not reported again when resuming
    int cpu = m.selectedCpu();
    control.holdResumeFrom(cpu, m.cpu(cpu).pc());
    return new Outcome(Outcome.Stop.STEPPED, prefix.replace("%STEP%", Long.toString(reached))
        + m.inspector().where(cpu) + Stepping.pendingNote(undone, before, control.pending()),
        List.of());
  }

  /**
   * {@code record goto STEP}: the machine as it was when step STEP ended, back or forward; a step
   * in the thinned part of the history lands on the nearest checkpoint before it and says so.
   */
  static Outcome seek(Machine m, RunLoop loop, long target) {
    Timeline t = m.timeline();
    if (target < t.firstStep() || target > t.endSteps()) {
      throw new IllegalArgumentException("record goto: step " + target + " is not in the recorded "
          + "history, which holds steps " + t.firstStep() + ".." + t.endSteps());
    }
    long whole = t.budget().wholeFromStep();
    String prefix = target < whole
        ? "Step " + target + " lies in the thinned part of the history (checkpoints about every "
            + t.budget().granularity() + " steps): at step %STEP%, the nearest checkpoint before it: "
        : "At step %STEP% of " + t.endSteps() + ": ";
    return move(m, loop, target, prefix);
  }
}
