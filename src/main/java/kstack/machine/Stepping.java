package kstack.machine;

import java.util.List;
import kstack.cpu.Cpu;
import kstack.trace.Event;

/**
 * What the step commands say about the machine: why a CPU has nothing to step, which command is
 * pending after a reverse step, and how a nested command hands the machine back to the one it
 * interrupted.
 */
final class Stepping {
  private Stepping() {}

  /**
   * Why cpu c has nothing to execute, or null when it has: a CPU not brought up, a process waiting
   * in main for the debugger's next command, an idle CPU halted with nothing to schedule. A step of
   * any of these changes nothing, so stepi refuses it and says so rather than counting steps that
   * do nothing.
   */
  static String whyNothingToStep(Machine m, int c) {
    Cpu cpu = m.cpu(c);
    long pc = cpu.pc();
    if (pc == 0) {
      return "cpu " + c + " is not running (it has not been brought up: 'boot' first)";
    }
    if (m.user().isWaitPoint(pc)) {
      String who;
      try {
        long t = m.kernel().current(c);
        who = "pid " + m.kernel().tasks.pid(t) + " (" + m.kernel().tasks.comm(t) + ")";
      } catch (kstack.mem.MemoryFault overwritten) {
        who = "the process"; // an overflow overwrote what names it
      }
      return who + ", current on cpu " + c + ", waits for a command at " + m.describe(pc)
          + ": it executes nothing until a command gives it work (syscall, call, recurse)";
    }
    if (pc == m.loop().idleHaltPc() && !m.loop().active(c)) {
      return "cpu " + c + " is idle, halted at " + m.describe(pc) + " with nothing to schedule: "
          + "it executes nothing until an interrupt or a command gives it work (tick, irq, "
          + "continue lets time pass to the next timer)";
    }
    return null;
  }

  /**
   * What a reverse step did to the commands, said after the pc it landed at: the earliest command
   * whose set-up it undid (undone, or null), and the command pending now if that changed.
   */
  static String pendingNote(Goal undone, Goal before, Goal now) {
    List<String> said = new java.util.ArrayList<>();
    if (undone != null) {
      said.add("back before '" + undone.name() + "' began: its set-up is undone");
    }
    if (now != null && now != before) {
      said.add("'" + now.name() + "' is pending again: 'continue' resumes it");
    }
    return said.isEmpty() ? "" : " (" + String.join("; ", said) + ")";
  }

  /**
   * A nested command (an interrupt or finish given while another was stopped) reached its goal:
   * each CPU back at the pc where the outer command stopped is stopped there again, so the
   * breakpoint the outer command reported is not reported a second time by the next continue.
   */
  static void resumeOuter(Machine m, Goal g) {
    if (g.outer() == null || g.outerStops() == null) {
      return;
    }
    long[] at = g.outerStops();
    for (int c = 0; c < at.length; c++) {
      if (at[c] != 0 && m.cpu(c).pc() == at[c]) {
        m.loop().control().setResumeFrom(c, at[c]);
      }
    }
  }

  /**
   * An interrupt (or exception, NMI, tick) given while a command was stopped at a breakpoint nests
   * in it and stops where the interrupted code resumes; what the stopped command is doing then: still
   * stopped where it was, or, when the interrupt was held (masked) until later, run on meanwhile.
   */
  static String stillStopped(Machine m, long[] outerStops) {
    Goal g = m.loop().control().pending();
    if (g == null) {
      return "";
    }
    if (g.reached().getAsBoolean()) {
      return "; '" + g.name() + "' reached its goal meanwhile (the interrupt was held until "
          + "then): 'continue' reports it";
    }
    for (int c = 0; c < outerStops.length; c++) {
      if (outerStops[c] != 0 && m.cpu(c).pc() != outerStops[c]) {
        return "; '" + g.name() + "' ran on meanwhile (the interrupt was held until then) and "
            + "is pending: 'continue' resumes it";
      }
    }
    return "; '" + g.name() + "' is still stopped there: 'continue' resumes it";
  }

  /**
   * A command that completed while breakpoints were set and never stopped at one says so, so that
   * a breakpoint the command's path did not pass (a switch that did not happen) is no silent
   * mystery. Nested commands (an interrupt at a breakpoint) say nothing: the stop is the outer's.
   */
  static String unreached(Machine m, Goal g) {
    List<String> names = m.breakpoints();
    if (g.outer() != null || names.isEmpty() || m.loop().control().reportedSince(g)) {
      return "";
    }
    return " (" + (names.size() == 1 ? "the breakpoint at " + names.get(0) + " was"
        : "the breakpoints at " + String.join(", ", names) + " were") + " not reached)";
  }

  /**
   * sched_yield() that switched to nothing: with no other runnable task on the CPU, schedule() picks
   * the caller again and there is no context switch (no __switch_to), which the result says.
   */
  static String yieldNote(Machine m, int cpu, long task, int firstEvent) {
    List<Event> events = m.timeline().events();
    for (int i = firstEvent; i < events.size(); i++) {
      if (events.get(i) instanceof Event.ContextSwitch s && s.cpu() == cpu) {
        return "";
      }
    }
    return ": no context switch: no other task was runnable on cpu " + cpu + ", so schedule() "
        + "kept pid " + m.kernel().tasks.pid(task) + " (" + m.kernel().tasks.comm(task) + ") running";
  }

  /**
   * A returned register as the kernel reads it: negative only in the errno range (IS_ERR_VALUE:
   * -4095..-1), so kernel pointers stay addresses (on i386 too, where they pass 0x80000000).
   */
  static String signedWord(Machine m, long v) {
    int size = m.arch().abi().wordSize();
    long w = size == 8 ? v : v & 0xffffffffL;
    long err = size == 8 ? v : (int) w;
    if (err >= -4095 && err < 0) {
      return Long.toString(err);
    }
    // small results (counts, pids) in decimal; addresses, like gdb's pointers, in hex
    return Long.compareUnsigned(w, 0x10000000L) < 0 ? Long.toString(w) : "0x" + Long.toHexString(w);
  }
}
