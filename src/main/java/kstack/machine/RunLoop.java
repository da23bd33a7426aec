package kstack.machine;

import java.util.List;
import kstack.cpu.Cpu;
import kstack.exec.CodeMap;
import kstack.kernel.Kernel;
import kstack.mem.MemoryFault;
import kstack.trace.Event;
import kstack.trace.Timeline;

/**
 * The run loop: the CPUs step in turn toward a command's goal ({@link Goal}), stopping at
 * breakpoints, letting time pass to the next timer when every CPU is idle, and making a user process
 * parked at its wait point yield to queued work. What the debugger holds besides the machine (the
 * pending goal, the round-robin's next CPU, breakpoints already reported) is {@link ControlState},
 * journaled on the timeline.
 */
final class RunLoop {
  /**
   * The most steps one command may take before it is stopped as runaway, until the user changes it
   * ({@code set max-steps N}). The longest real command (a boot, a deep recursion) takes well under
   * a million; each recorded step keeps its undo history (about 11 bytes), so a runaway is stopped
   * long before that history fills a small heap.
   */
  static final long DEFAULT_MAX_STEPS = 5_000_000L;
  private long maxSteps = DEFAULT_MAX_STEPS;

  private final Machine m;
  private final Kernel kernel;
  private final Timeline timeline;
  private final CodeMap code;
  private final Cpu[] cpus;
  private final Breakpoints breakpoints;
  private final ControlState control;
  private final Parking parking;
  private final long idleHaltPc;
  private int eventMark;
  private boolean keepMark;
  /** Called the moment each step has finished (package-private, the reverse sweep's fingerprints). */
  Runnable afterStep;
  /** gdb's watchpoints, checked after each step that stored into a watched range. */
  final Watchpoints watchpoints = new Watchpoints();
  /** What the last step did to watchpoints (null: nothing), until {@link #takeWatchHit}. */
  private String watchHit;
  /** Per CPU: this run has cleared its resume pc already (a write that changes nothing after that). */
  private final boolean[] cleared;

  RunLoop(Machine m, CodeMap code, Cpu[] cpus, Breakpoints breakpoints, long idleHaltPc) {
    this.m = m;
    this.kernel = m.kernel();
    this.timeline = m.timeline();
    this.code = code;
    this.cpus = cpus;
    this.breakpoints = breakpoints;
    this.control = new ControlState(timeline, cpus.length);
    this.parking = new Parking(m, cpus);
    this.idleHaltPc = idleHaltPc;
    this.cleared = new boolean[cpus.length];
  }

  long maxSteps() {
    return maxSteps;
  }

  void setMaxSteps(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("max-steps must be at least 1");
    }
    maxSteps = n;
  }

  ControlState control() {
    return control;
  }

  Parking parking() {
    return parking;
  }

  long idleHaltPc() {
    return idleHaltPc;
  }

  /** The events from here on are the next command's story ({@link #eventsSinceMark}). */
  void markEvents() {
    eventMark = timeline.events().size();
  }

  /** The command set its own mark (before its set-up's events): start keeps it. */
  void keepMark(boolean keep) {
    keepMark = keep;
  }

  List<Event> eventsSinceMark() {
    List<Event> all = timeline.events();
    return List.copyOf(all.subList(Math.min(eventMark, all.size()), all.size()));
  }

  /** After a panic every CPU is halted: nothing more runs, whatever the command. */
  void refuseIfPanicked() {
    if (kernel.panicked() != null) {
      throw new IllegalStateException("the kernel has panicked (" + kernel.panicked()
          + "): the machine is halted");
    }
  }

  /**
   * A command that starts new work in a process (a system call, a call, a spawn) while another
   * command is stopped at a breakpoint is refused: the stopped command's process is in the middle of
   * its work, and its goal stays pending for 'continue'. Interrupts and finish nest instead.
   */
  void refuseWhileStopped() {
    Goal g = control.pending();
    if (g != null) {
      throw new IllegalStateException("'" + g.name() + "' is stopped at a breakpoint: "
          + "'continue' it first");
    }
  }

  void requireBooted() {
    refuseIfPanicked();
    if (kernel.pids.findTask(1) == 0) {
      throw new IllegalStateException("the machine has not booted (run 'boot' first)");
    }
    refuseWhileStopped();
  }

  /**
   * Runs toward g: the CPUs step in turn, one step each (the next CPU is part of the journaled
   * state, so a run stopped anywhere and continued steps them exactly as an uninterrupted run).
   * Reaching g makes its outer goal (if it nests in one) pending again.
   */
  Outcome start(Goal g) {
    if (kernel.panicked() != null) {
      keepMark = false;
      refuseIfPanicked();
    }
    if (!keepMark) {
      markEvents();
    }
    keepMark = false;
    control.begin(g);
    control.setPending(g);
    try {
      return runToward(g);
    } catch (RuntimeException e) {
      control.setPending(null); // the command ends here: no later command may report it as stopped
      throw e;
    }
  }

  /**
   * The loop itself keeps to what every step needs; whatever ends or pauses the run (the goal, a
   * settled machine, a breakpoint, a panic, a watchpoint, the step limit) is a call out of it, so
   * the compiler keeps the loop small enough to inline the step.
   */
  private Outcome runToward(Goal g) {
    boolean reached = reached(g);
    long steps = 0;
    java.util.Arrays.fill(cleared, false);
    while (true) {
      int c = nextActiveCpu(); // -1: every CPU has settled
      if (c < 0 || reached && g.stopAtGoal()) {
        Outcome o = settle(g, reached);
        if (o != null) {
          return o;
        }
        continue;
      }
      long pc = cpus[c].pc();
      if (breakpoints.at(pc) && control.resumeFrom(c) != pc) {
        return breakpoint(c, pc);
      }
      if (!cleared[c]) { // until the run's first step on c, c may resume past a reported stop
        control.setResumeFrom(c, 0);
        cleared[c] = true;
      }
      if (cpus.length > 1) {
        control.setNextCpu((c + 1) % cpus.length);
      }
      stepHandlingFaults(c);
      if (kernel.panicked() != null) {
        control.setPending(null);
        return panicked(c);
      }
      if (!reached) {
        reached = reached(g);
      }
      if (watchHit != null) { // stopped as at a breakpoint: the goal stays pending for 'continue'
        return watchStop(c);
      }
      if (++steps > maxSteps) {
        throw runaway(g);
      }
    }
  }

  /**
   * Every CPU has settled, or g is reached and stops there: completes g when it is reached, else
   * makes a parked process yield to queued work or lets time pass to the next timer (null: run
   * on), else says the machine went idle.
   */
  private Outcome settle(Goal g, boolean reached) {
    if (reached) {
      return complete(g);
    }
    if (parking.yieldForWork() || m.interrupts().fireTimer()) {
      return null;
    }
    control.setPending(g.outer());
    return new Outcome(Outcome.Stop.IDLE, g.idle() != null && g.idle().get() != null
        ? g.idle().get() : "machine idle before '" + g.name() + "' completed: nothing left "
        + "to run", eventsSinceMark());
  }

  /** cpu c is at a breakpoint it has not reported yet: the run stops before that step. */
  private Outcome breakpoint(int c, long pc) {
    m.selectCpu(c);
    control.setResumeFrom(c, pc);
    control.countReport();
    return new Outcome(Outcome.Stop.BREAKPOINT, "Breakpoint at " + m.describe(pc)
        + " on cpu " + c + " (" + m.inspector().whoIsCurrent(c, true) + ")", eventsSinceMark());
  }

  private Outcome watchStop(int c) {
    m.selectCpu(c);
    control.countReport();
    return new Outcome(Outcome.Stop.WATCHPOINT, takeWatchHit(), eventsSinceMark());
  }

  private IllegalStateException runaway(Goal g) {
    control.setPending(null);
    return new IllegalStateException("'" + g.name() + "' did not finish within "
        + maxSteps + " steps (a runaway? 'set max-steps N' allows more)");
  }

  /** What the last step did to watchpoints, once (null: it changed none). */
  String takeWatchHit() {
    String hit = watchHit;
    watchHit = null;
    return hit;
  }

  /** What a command says when the kernel panicked on cpu c. */
  Outcome panicked(int c) {
    return new Outcome(Outcome.Stop.PANIC, kernel.panicked() + " (cpu " + c
        + " halted; the machine stops here)", eventsSinceMark());
  }

  /** g is reached: the goal it nests in (if any) is pending again; what the command says. */
  Outcome complete(Goal g) {
    control.setPending(g.outer());
    Stepping.resumeOuter(m, g);
    String said = g.done().get();
    if (!breakpoints.none()) { // with none set, no breakpoint can have been missed
      said += Stepping.unreached(m, g);
    }
    return new Outcome(Outcome.Stop.DONE, said, eventsSinceMark());
  }

  /**
   * The first active CPU from the round-robin's next one on, or -1 when every CPU has settled: one
   * pass over the CPUs answers both what allSettled and the round-robin ask.
   */
  private int nextActiveCpu() {
    int n = cpus.length;
    if (n == 1) {
      return active(0) ? 0 : -1;
    }
    int from = control.nextCpu();
    for (int i = 0; i < n; i++) {
      int c = (from + i) % n;
      if (active(c)) {
        return c;
      }
    }
    return -1;
  }

  /**
   * One step of cpu c with whatever the kernel does about a fault it raises ({@link #step}): the
   * step and its fault handling are one step on the timeline.
   */
  void stepHandlingFaults(int c) {
    if (watchpoints.none() && afterStep == null) { // nothing looks at the step: only the step
      try {
        step(c);
      } finally {
        timeline.endStep();
      }
      return;
    }
    long from = cpus[c].pc();
    watchpoints.beginStep();
    try {
      step(c);
    } finally {
      timeline.endStep();
      watchHit = watchpoints.afterStep(m, c, from);
    }
    if (afterStep != null) {
      afterStep.run();
    }
  }

  /**
   * Whether a goal is reached. Its test reads kernel memory (current, the task's state); where an
   * overflow has overwritten what it reads, the goal is not reached yet and the machine runs on
   * until the kernel itself trips over the same words.
   */
  static boolean reached(Goal g) {
    try {
      return g.reached().getAsBoolean();
    } catch (MemoryFault f) {
      return false;
    }
  }

  /**
   * One step of CPU c. A kernel-mode fault, or a kernel step that leaves the CPU where no code is,
   * is what the kernel would oops on ({@link Oops}); a user-mode fault is reported.
   */
  private void step(int c) {
    Cpu cpu = cpus[c];
    long from = cpu.pc();
    kstack.exec.Routine r = code.at(from);
    if (r == null) { // left here by an iret or sysret to an overwritten user ip
      timeline.beginStep(); // the fault is this step: reversing it undoes the oops too
      Oops.userFault(kernel, m.arch(), c, new MemoryFault(from, false, null));
      return;
    }
    try {
      stepCpu(c, cpu, r, from);
    } catch (MemoryFault f) {
      if (!Oops.fault(kernel, m.arch(), c, f)) {
        Oops.userFault(kernel, m.arch(), c, f);
      }
      return;
    }
    long to = cpu.pc();
    if (code.at(to) == null && !m.arch().inUserMode(kernel, c)) {
      Oops.badJump(kernel, m.arch(), c, m.describe(from), to);
    }
  }

  /** Executes the step of routine r at pc on cpu c. */
  private void stepCpu(int c, Cpu cpu, kstack.exec.Routine r, long pc) {
    timeline.beginStep();
    m.exec(c).run(r, r.indexOf(pc));
    if (m.user().isWaitPoint(cpu.pc())) {
      parking.unpark(kernel.current(c));
    }
  }

  /** Online and with something to do: not halted in the idle loop, not waiting in user mode. */
  boolean active(int c) {
    long pc = cpus[c].pc();
    if (pc != idleHaltPc) {
      return pc != 0 && !m.user().isWaitPoint(pc);
    }
    return idleWithWork(c);
  }

  /** cpu c halts in the idle loop: whether a task waits for it (hlt ends at the next interrupt). */
  private boolean idleWithWork(int c) {
    try {
      return kernel.rq.needResched(kernel.current(c));
    } catch (MemoryFault overwritten) {
      return false; // hlt reads nothing: the CPU sleeps on until an interrupt makes it look
    }
  }

  boolean allSettled() {
    for (int c = 0; c < cpus.length; c++) {
      if (active(c)) {
        return false;
      }
    }
    return true;
  }
}
