package kstack.machine;

import kstack.mem.Memory;
import kstack.mem.MemoryFault;
import kstack.trace.LastWrite;
import kstack.trace.Timeline;

/**
 * {@code blame ADDR}: the step that last wrote an address, found by walking the journal back from
 * the present, and what that step was: its number, the step's text, the CPU that took it, the task
 * current there, the value before and after. The machine is visited at the step's two ends by
 * seeks and returned to the present exactly.
 *
 * @param kind     how precisely the write is known ({@link LastWrite.Kind})
 * @param step     the step that wrote it (STEP), after which it was written (SETUP), the end of the
 *                 thinned block (THINNED), or where the history begins (NONE)
 * @param from     THINNED: the step the block begins after
 * @param cpu      STEP: the CPU that took the step
 * @param text     STEP: the step as x/i shows it
 * @param pid      STEP: the task current on that CPU
 * @param comm     STEP: its comm
 * @param oldValue STEP: the value before the step; otherwise the value now
 * @param newValue the value the step left (STEP), or the value now
 */
public record Blame(LastWrite.Kind kind, long step, long from, int cpu, String text, int pid,
    String comm, long oldValue, long newValue) {

  static Blame of(Machine m, long addr, int size) {
    Memory store = m.space().storeFor(addr);
    Timeline t = m.timeline();
    LastWrite w = t.lastWrite(store, addr, size);
    long now = value(store, addr, size);
    if (w.kind() != LastWrite.Kind.STEP) {
      return new Blame(w.kind(), w.step(), w.from(), -1, null, 0, null, now, now);
    }
    long here = t.steps();
    boolean atEnd = t.futureSteps() == 0;
    try {
      t.seek(w.step() - 1);
      long[] pcs = pcs(m);
      long old = value(store, addr, size);
      t.seek(w.step());
      int cpu = cpuThatStepped(m, pcs);
      long after = value(store, addr, size);
      t.seek(w.step() - 1);
      long task = m.kernel().current(cpu);
      String comm = m.kernel().tasks.comm(task);
      int pid = m.kernel().tasks.pid(task);
      return new Blame(w.kind(), w.step(), w.step(), cpu, m.inspector().describeStep(pcs[cpu]), pid,
          comm, old, after);
    } finally {
      t.seek(atEnd ? t.endSteps() : here);
    }
  }

  private static long[] pcs(Machine m) {
    long[] pcs = new long[m.cpuCount()];
    for (int c = 0; c < pcs.length; c++) {
      pcs[c] = m.cpu(c).pc();
    }
    return pcs;
  }

  /** The CPU whose pc the step moved (a step always moves its CPU's pc, or halts it in place). */
  private static int cpuThatStepped(Machine m, long[] before) {
    for (int c = 0; c < before.length; c++) {
      if (m.cpu(c).pc() != before[c]) {
        return c;
      }
    }
    return m.selectedCpu();
  }

  /** The bytes as they are, whether or not a region still maps them. */
  private static long value(Memory store, long addr, int size) {
    try {
      return store.read(addr, size);
    } catch (MemoryFault unmapped) {
      return store.peekRaw(addr, size);
    }
  }
}
