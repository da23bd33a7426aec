package kstack.machine;

import java.util.List;
import java.util.function.BooleanSupplier;
import kstack.kernel.Arch;
import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.kernel.Timers;
import kstack.trace.Event;
import kstack.trace.JCell;
import kstack.trace.Timeline;

/**
 * Interrupt and exception injection: the device lines ({@code irq N}), the scheduler tick, NMIs and
 * the injectable exceptions, and the timer interrupt the run loop fires when time passes over an
 * idle machine. An interrupt raised while its CPU has interrupts disabled stays pending, as on real
 * hardware, and is taken at the first step boundary where they are enabled again; the pending vector
 * is journaled, so reverse steps restore it.
 */
final class Interrupts {
  private final Machine m;
  private final Kernel kernel;
  private final Arch arch;
  private final Timeline timeline;
  private final RunLoop loop;
  /** An interrupt raised while the CPU had interrupts disabled (-1: none). */
  private final int[] pendingVector;
  private final String[] pendingWhat;

  Interrupts(Machine m, RunLoop loop) {
    this.m = m;
    this.kernel = m.kernel();
    this.arch = m.arch();
    this.timeline = m.timeline();
    this.loop = loop;
    this.pendingVector = new int[m.cpuCount()];
    this.pendingWhat = new String[m.cpuCount()];
    java.util.Arrays.fill(pendingVector, -1);
  }

  /**
   * Time passes while every CPU is idle: the clock jumps to the earliest pending hrtimer and that
   * CPU takes its local timer interrupt, whose handler runs the expired timers.
   */
  boolean fireTimer() {
    List<Timers.Timer> timers = kernel.timers.pendingTimers();
    if (timers.isEmpty()) {
      return false;
    }
    Timers.Timer first = timers.get(0);
    for (Timers.Timer t : timers) {
      if (t.expiresNs() < first.expiresNs()) {
        first = t;
      }
    }
    kernel.timers.setClock(Math.max(kernel.timers.now(), first.expiresNs()));
    interrupt(first.cpu(), arch.timerVector(), arch.timerName() + " (t=" + first.expiresNs() + "ns)");
    return true;
  }

  private void interrupt(int cpu, int vector, String what) {
    long pc = m.cpu(cpu).pc();
    String handler = arch.deliverInterrupt(kernel, cpu, vector);
    timeline.emit(new Event.InterruptDelivered(cpu, handler, what, vector, m.describe(pc),
        m.inspector().whoIsCurrent(cpu, false)));
  }

  /**
   * {@code irq N}: the device line N raises its interrupt on the selected CPU, at whatever it is
   * executing (a breakpoint may have stopped it inside the kernel); runs until the interrupted code
   * resumes, then until the machine settles.
   */
  Outcome irq(int line) {
    int vector = arch.irqVector(line);
    if (vector < 0) {
      throw new IllegalArgumentException("irq: lines 0-15 are wired (to the kstack_demo device)");
    }
    int cpu = m.selectedCpu();
    return interruptGoal(vector, "irq " + line, "IRQ " + line, () -> arch.irqsEnabled(kernel, cpu),
        Event.Held.IRQS_DISABLED);
  }

  /** {@code nmi}: a non-maskable interrupt on the selected CPU, taken at once. */
  Outcome nmi() {
    if (arch.noNmiReason() != null) {
      throw new IllegalArgumentException("nmi: " + arch.noNmiReason());
    }
    int cpu = m.selectedCpu();
    if (arch.nmiBlocked(kernel, cpu)) {
      return interruptGoal(arch.nmiVector(), "nmi", "NMI", () -> !arch.nmiBlocked(kernel, cpu),
          Event.Held.NMI_BLOCKED);
    }
    return immediate(arch.nmiVector(), "nmi", "NMI");
  }

  /**
   * {@code exception db|mc}: the selected CPU takes a debug exception or a machine check where it
   * is (neither can be masked); runs until the interrupted code resumes.
   */
  Outcome exception(String name) {
    int vector = arch.exceptionVector(name);
    if (vector < 0) {
      throw new IllegalArgumentException(arch.exceptionNames().isEmpty()
          ? "exception: " + arch.name() + " has no injectable exception in this model"
          : "exception: unknown '" + name + "' (" + String.join(", ", arch.exceptionNames()) + ")");
    }
    String refused = arch.exceptionRefusal(kernel, m.selectedCpu(), vector);
    if (refused != null) {
      throw new IllegalStateException("exception " + name + ": " + refused);
    }
    return immediate(vector, "exception " + name, "#" + name.toUpperCase(java.util.Locale.ROOT));
  }

  /** {@code tick}: the scheduler tick's hrtimer expires now on the selected CPU. */
  Outcome tick() {
    loop.refuseIfPanicked();
    int cpu = m.selectedCpu();
    if (m.cpu(cpu).pc() == 0) { // refused before its set-up: a refusal changes nothing
      throw new IllegalStateException("cpu " + cpu + " is not running");
    }
    kernel.timers.setClock(kernel.timers.now());
    kernel.timers.addTickNow(cpu);
    return interruptGoal(arch.timerVector(), "tick", arch.timerName() + " (scheduler tick)",
        () -> arch.irqsEnabled(kernel, cpu), Event.Held.IRQS_DISABLED);
  }

  /** The selected CPU, running: an event is taken there. */
  private Cpu running(int cpu) {
    loop.refuseIfPanicked();
    Cpu c = m.cpu(cpu);
    if (c.pc() == 0) {
      throw new IllegalStateException("cpu " + cpu + " is not running");
    }
    return c;
  }

  /** Delivers a non-maskable event now and runs until the interrupted code resumes. */
  private Outcome immediate(int vector, String name, String what) {
    int cpu = m.selectedCpu();
    Cpu c = running(cpu);
    loop.markEvents();
    loop.keepMark(true);
    long pc = c.pc();
    long sp = c.sp();
    try {
      interrupt(cpu, vector, what);
    } catch (RuntimeException e) {
      loop.keepMark(false);
      throw e;
    }
    JCell<Boolean> back = new JCell<>(timeline, false);
    ControlState control = loop.control();
    long[] outerStops = control.stops();
    return loop.start(new Goal(name, () -> {
      if (!back.get() && c.pc() == pc && c.sp() == sp) {
        back.set(true);
      }
      return back.get();
    }, () -> name + ": the interrupted code resumed at " + m.describe(pc)
        + Stepping.stillStopped(m, outerStops),
        movedFrame(name, new long[] {pc, sp})).nestedIn(control.pending(), outerStops));
  }

  /**
   * Raises an event that waits while {@code deliverable} is false (a masked IRQ, a blocked NMI),
   * is taken as soon as it turns true, and runs until the interrupted code resumes.
   */
  private Outcome interruptGoal(int vector, String name, String what,
      BooleanSupplier deliverable, Event.Held held) {
    int cpu = m.selectedCpu();
    Cpu c = running(cpu);
    loop.markEvents();
    loop.keepMark(true);
    setPending(cpu, vector, what);
    // where the interrupt was taken (pc, sp), and whether that code has resumed: journaled
    JCell<long[]> resume = new JCell<>(timeline, new long[] {0, 0});
    JCell<Boolean> back = new JCell<>(timeline, false);
    ControlState control = loop.control();
    long[] outerStops = control.stops();
    if (!deliverable.getAsBoolean()) {
      timeline.emit(new Event.InterruptPending(cpu, what, held, m.describe(c.pc())));
    }
    return loop.start(new Goal(name, () -> {
      if (pendingVector[cpu] >= 0 && deliverable.getAsBoolean()) {
        resume.set(new long[] {c.pc(), c.sp()});
        takePending(cpu);
      }
      long[] at = resume.get();
      if (pendingVector[cpu] < 0 && !back.get() && at[0] != 0 && c.pc() == at[0]
          && c.sp() == at[1]) {
        back.set(true);
      }
      return back.get();
    }, () -> name + ": the interrupted code resumed at " + m.describe(resume.get()[0])
        + Stepping.stillStopped(m, outerStops),
        () -> resume.get()[0] == 0 ? null : movedFrame(name, resume.get()).get())
        .nestedIn(control.pending(), outerStops));
  }

  /**
   * An event whose handler ran but whose interrupted code never came back at the same pc and stack
   * pointer: entry code moved the frame (FIX_STACK for an event at a SYSENTER entry's first
   * instruction) and the machine ran on.
   */
  private java.util.function.Supplier<String> movedFrame(String name, long[] at) {
    return () -> String.format(name + ": handled, but the interrupted code never resumed at %s with "
        + "its stack pointer 0x%x: the entry code moved the frame (as FIX_STACK does for an event "
        + "at a SYSENTER entry's first instruction) and the machine ran on until idle",
        m.describe(at[0]), at[1]);
  }

  /** A held interrupt is machine state like any other: journaled, so reverse steps restore it. */
  private void setPending(int cpu, int vector, String what) {
    int oldVector = pendingVector[cpu];
    String oldWhat = pendingWhat[cpu];
    timeline.recordChange(() -> {
      pendingVector[cpu] = oldVector;
      pendingWhat[cpu] = oldWhat;
    }, () -> {
      pendingVector[cpu] = vector;
      pendingWhat[cpu] = what;
    });
    pendingVector[cpu] = vector;
    pendingWhat[cpu] = what;
  }

  private void takePending(int cpu) {
    int v = pendingVector[cpu];
    setPending(cpu, -1, pendingWhat[cpu]);
    interrupt(cpu, v, pendingWhat[cpu]);
  }
}
