package kstack.machine;

import java.util.List;
import kstack.kernel.Arch;
import kstack.cpu.Cpu;
import kstack.exec.Abi;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.mem.AddressSpace;
import kstack.trace.JCell;
import kstack.trace.Timeline;

/**
 * The execution commands that give no task new work: {@code boot}, {@code run} and
 * {@code continue} (toward the pending goal, or until the machine settles), {@code stepi} and
 * {@code reverse-stepi} on the selected CPU, and {@code finish} (until the current function
 * returns). Each runs the {@link RunLoop} toward its {@link Goal}.
 */
final class Execution {
  private final Machine m;
  private final Kernel kernel;
  private final Timeline timeline;
  private final RunLoop loop;

  Execution(Machine m, RunLoop loop) {
    this.m = m;
    this.kernel = m.kernel();
    this.timeline = m.timeline();
    this.loop = loop;
  }

  /** Runs until boot is complete: pid 1 and pid 2 exist and the boot CPU reached its idle loop. */
  Outcome boot() {
    Goal stopped = loop.control().pending();
    if (stopped != null && stopped.within("boot")) {
      return run(); // a breakpoint stopped the boot: resume toward its goal, as continue does
    }
    if (kernel.pids.findTask(1) != 0) {
      throw new IllegalStateException("already booted");
    }
    JCell<Boolean> idle = new JCell<>(timeline, false); // the boot CPU has reached its idle loop
    long entry = m.symbol(kernel.idleLoop());
    return loop.start(new Goal("boot", () -> {
      if (!idle.get() && m.cpu(0).pc() == entry) {
        idle.set(true);
      }
      return idle.get() && kernel.pids.findTask(1) != 0 && kernel.pids.findTask(2) != 0;
    }, () -> "boot complete: pid 0 " + kernel.tasks.comm(kernel.rq.idleTask(0)) + ", pid 1 "
        + kernel.tasks.comm(kernel.pids.findTask(1))
        + ", pid 2 " + kernel.tasks.comm(kernel.pids.findTask(2))));
  }

  /**
   * Runs until every CPU is idle or waiting for a command and no timer is pending (time advances
   * over idle periods), or a breakpoint; resumes an interrupted command's goal if there is one.
   */
  Outcome run() {
    Goal pending = loop.control().pending();
    Goal g = pending != null ? pending : new Goal("run", () -> {
      if (!kernel.timers.pendingTimers().isEmpty()) {
        return false;
      }
      for (int c = 0; c < m.cpuCount(); c++) {
        if (m.user().isWaitPoint(m.cpu(c).pc()) && loop.parking().hasUnparkedWork(c)) {
          return false;
        }
      }
      return true;
    }, () -> "all CPUs idle or waiting for a command");
    return loop.start(g);
  }

  /**
   * Executes n steps on the selected CPU only. A CPU with nothing to execute (a process waiting for
   * a command, an idle CPU halted with nothing to schedule, a CPU not brought up) is refused with
   * the reason: stepping it would change nothing. A stopped command whose goal a step reaches is
   * completed there and says so, as continue would have said it.
   */
  Outcome stepi(int n) {
    loop.refuseIfPanicked();
    int cpu = m.selectedCpu();
    String still = Stepping.whyNothingToStep(m, cpu);
    if (still != null) {
      throw new IllegalStateException("stepi: " + still);
    }
    ControlState control = loop.control();
    loop.markEvents();
    for (int i = 0; i < n && kernel.panicked() == null; i++) {
      if (i > 0 && Stepping.whyNothingToStep(m, cpu) != null) {
        break; // reached a wait point: the rest would be steps that change nothing
      }
      loop.stepHandlingFaults(cpu);
      String hit = loop.takeWatchHit();
      if (hit != null && kernel.panicked() == null) {
        control.setResumeFrom(cpu, m.cpu(cpu).pc());
        return new Outcome(Outcome.Stop.WATCHPOINT, hit, loop.eventsSinceMark());
      }
      Goal g = control.pending(); // checked after every step, as the run loop does
      if (g != null && kernel.panicked() == null && RunLoop.reached(g)
          && (g.stopAtGoal() || loop.allSettled())) {
        control.setResumeFrom(cpu, m.cpu(cpu).pc());
        return loop.complete(g);
      }
    }
    control.setResumeFrom(cpu, m.cpu(cpu).pc());
    if (kernel.panicked() != null) {
      control.setPending(null);
      return loop.panicked(cpu);
    }
    return new Outcome(Outcome.Stop.STEPPED, m.inspector().where(cpu), loop.eventsSinceMark());
  }

  /**
   * {@code reverse-stepi N}: takes the machine's last N steps back (on every CPU, newest first). The
   * machine is then exactly as it was the moment step (steps - N) finished, the first time: every
   * byte, register and piece of kernel bookkeeping, and the debugger's own state (the pending goal
   * and its progress, pending interrupts, the round-robin's next CPU), since all of it is on the
   * timeline. What the debugger did after that moment (a command's set-up, a breakpoint report) is
   * undone with the steps. A following {@code continue} runs forward again toward the goal pending
   * there, deterministically.
   */
  Outcome reverseStepi(int n) {
    int can = timeline.undoableSteps();
    if (n > can) {
      throw new IllegalArgumentException("reverse-stepi: only " + can + " step(s) of history"
          + (timeline.steps() == 0 ? " (nothing has run yet)"
              : timeline.budget().thinnedBlocks() > 0
                  ? " (older steps are thinned: 'record goto STEP' reaches their checkpoints)"
                  : ""));
    }
    return TimeTravel.move(m, loop, timeline.steps() - n, "");
  }

  /** Runs until the selected CPU's current function returns to its caller. */
  Outcome finish() {
    Arch arch = m.arch();
    Cpu c = m.cpu(m.selectedCpu());
    long pc = c.pc();
    Routine r = m.routineAt(pc);
    if (r == null || r.kind() == Routine.Kind.ASM) {
      throw new IllegalStateException("finish: " + m.describe(pc) + " has no frame to finish");
    }
    int i = r.indexOf(pc);
    long sp = c.sp();
    long fp = c.get(arch.registers().fp);
    AddressSpace s = m.space(c);
    long link = arch.registers().has("x30") ? c.get("x30") : 0;
    Abi.ReturnSite site = arch.abi().returnSite(i, r.insn(i).text().startsWith("ret"), sp, fp,
        link, a -> s.read(a, arch.abi().wordSize()));
    long ret = site.pc();
    long retSp = site.sp();
    String fn = r.name();
    ControlState control = loop.control();
    Outcome o = loop.start(new Goal("finish", () -> c.pc() == ret && c.sp() == retSp,
        () -> "Run till exit from " + fn + ": back in " + m.describe(ret) + ", value "
            + Stepping.signedWord(m, c.get(arch.registers().ret)), null, control.pending(), control.stops(),
        true));
    return new Outcome(o.stop() == Outcome.Stop.DONE ? Outcome.Stop.STEPPED : o.stop(), o.message(),
        o.events());
  }
}
