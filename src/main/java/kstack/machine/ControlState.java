package kstack.machine;

import java.util.ArrayList;
import java.util.List;
import kstack.trace.JCell;
import kstack.trace.Timeline;

/**
 * What the debugger's control of the machine holds besides the machine itself, journaled on the
 * same timeline as every byte and register: the pending goal, which CPU steps next in the
 * round-robin, and where each CPU resumes past a breakpoint it has already reported. Reversing to any
 * point therefore restores these too, and a {@code continue} from there runs exactly as the machine
 * ran the first time it passed that point.
 */
final class ControlState {
  private final Timeline timeline;
  private final JCell<Goal> pending;
  private final JCell<Integer> nextCpu;
  private final List<JCell<Long>> resumeFrom = new ArrayList<>();
  private final JCell<Integer> reports;
  /** Every command given so far, in order: reversing past a command's set-up drops it. */
  private final kstack.trace.JList<Goal> begun;
  /** Every command given, taken back or not, as far as {@link #given} reaches (not journaled). */
  private final List<Goal> given = new ArrayList<>();
  private static final long NOT_HELD = -1;
  /** Per CPU, a stop pc held outside the journal ({@link #holdResumeFrom}), or NOT_HELD. */
  private final long[] held;

  ControlState(Timeline timeline, int ncpu) {
    this.timeline = timeline;
    this.pending = new JCell<>(timeline, null);
    this.nextCpu = new JCell<>(timeline, 0);
    this.reports = new JCell<>(timeline, 0);
    this.begun = new kstack.trace.JList<>(timeline);
    for (int c = 0; c < ncpu; c++) {
      resumeFrom.add(new JCell<>(timeline, 0L));
    }
    this.held = new long[ncpu];
    java.util.Arrays.fill(held, NOT_HELD);
  }

  Goal pending() {
    return pending.get();
  }

  void setPending(Goal g) {
    if (pending.get() != g) {
      pending.set(g);
    }
  }

  /**
   * A goal is run toward: the first time, its command is given (journaled, so reversing before its
   * set-up drops it); a continue of a pending goal is no new command.
   */
  void begin(Goal g) {
    if (g.begun().reports < 0) {
      g.begun().reports = reports();
      if (timeline.isRecording()) { // with no history to reverse into, nothing to name
        given.subList(begun.size(), given.size()).clear(); // a new command replaces those taken back
        begun.addLast(g);
        given.add(g);
      }
    }
  }

  /** Whether a breakpoint has been reported since g's command was given. */
  boolean reportedSince(Goal g) {
    int before = g.begun().reports;
    return before < 0 || reports() != before;
  }

  /** How many commands have been given along this timeline. */
  int begunCount() {
    return begun.size();
  }

  /**
   * The i-th command given (0: the first), even when a seek has taken it back: what was given
   * is kept, outside the timeline, until a new command is given in its place.
   */
  Goal given(int i) {
    return given.get(i);
  }

  /** How many breakpoint stops have been reported along this timeline. */
  int reports() {
    return reports.get();
  }

  void countReport() {
    reports.set(reports.get() + 1);
  }

  /** The CPU the round-robin steps next (the run loop steps CPUs in turn, one step each). */
  int nextCpu() {
    return nextCpu.get();
  }

  void setNextCpu(int c) {
    if (nextCpu.get() != c) {
      nextCpu.set(c);
    }
  }

  /**
   * The pc at which cpu c stopped (a breakpoint reported, a step, a reverse step): a breakpoint
   * there does not stop the next run at once, as gdb steps over the breakpoint it resumes from.
   */
  long resumeFrom(int c) {
    return held[c] != NOT_HELD ? held[c] : resumeFrom.get(c).get();
  }

  /**
   * A stop pc that a move through the recorded history leaves (a seek, a reverse step): not
   * journaled, since recording anything there would discard the recorded future. The next run's
   * own {@link #setResumeFrom} replaces it; a later move sets it anew.
   */
  void holdResumeFrom(int c, long pc) {
    java.util.Arrays.fill(held, NOT_HELD);
    held[c] = pc;
  }

  /** Each CPU's stop pc (0: none), which a nested goal keeps for the command it nests in. */
  long[] stops() {
    long[] at = new long[resumeFrom.size()];
    for (int c = 0; c < at.length; c++) {
      at[c] = resumeFrom(c);
    }
    return at;
  }

  void setResumeFrom(int c, long pc) {
    held[c] = NOT_HELD;
    if (resumeFrom.get(c).get() != pc) {
      resumeFrom.get(c).set(pc);
    }
  }
}
