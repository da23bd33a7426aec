package kstack.trace;

/**
 * What a step did to its CPU's program counter and stack pointer, said by the step's end marker
 * instead of register writes of their own. Nearly every step moves its pc on by one instruction,
 * and most push or pop: journaled as register writes, those two were nine in ten of a system call's
 * entries. Both are kept here as sums while the step runs (the pc advance, the stack pointer's
 * movement) and written with the end marker: STEP, {@link #ADVANCED} and {@link #SP_MOVED} flags,
 * the cpu in the bits above them, and the movement as a zigzag varint below the header. A sum is
 * undone by subtraction, so a write of the same register, or a bookkeeping change (whose undo is
 * code that could read anything), first writes the pending sums out as ordinary register writes
 * ({@link #flush}); a store or another register's write (undone by its own XOR) leaves them pending.
 */
final class StepEnd {
  static final int ADVANCED = 1 << 2;
  static final int SP_MOVED = 1 << 3;
  private static final int CPU_SHIFT = 4;
  /** CPUs from this one on journal their pc and sp as register writes (the header has 4 bits). */
  private static final int CPUS = 16;

  private final ByteJournal journal;
  private final RegisterSink registers;
  /** The pc's register and its advance, learnt from the first advance; -1: none yet. */
  int pcReg = -1;
  int pcBy;
  /** The stack pointer's register, or -1 (its writes are then ordinary ones). */
  int spReg = -1;
  /** The CPU whose sums are pending, or -1. */
  private int cpu = -1;
  private boolean advanced;
  private long spMoved;

  StepEnd(ByteJournal journal, RegisterSink registers) {
    this.journal = journal;
    this.registers = registers;
  }

  /** Journals a register write of cpu, or sums it into the step's end (inStep: a step runs). */
  void registerChanged(boolean inStep, int c, int reg, long old, long value) {
    if (inStep && moveSp(c, reg, old, value)) {
      return;
    }
    flushFor(c, reg);
    RegisterHeader.push(journal, c, reg, old ^ value);
  }

  /** Journals cpu's pc moving on by {@code by}, or keeps it for the step's end (inStep). */
  void pcAdvanced(boolean inStep, int c, int reg, int by) {
    if (!inStep || !advance(c, reg, by)) {
      flush();
      long old = registers.value(c, reg);
      RegisterHeader.push(journal, c, reg, old ^ (old + by));
    }
  }

  /** Keeps cpu's pc advance pending; false: it must be journaled now (the caller does). */
  private boolean advance(int c, int reg, int by) {
    if (pcReg < 0) {
      pcReg = reg;
      pcBy = by;
    }
    if (cpu >= 0 && (cpu != c || advanced)) {
      flush();
    }
    if (reg != pcReg || by != pcBy || c >= CPUS) {
      return false;
    }
    cpu = c;
    advanced = true;
    return true;
  }

  /** Keeps a move of cpu's stack pointer pending; false: not the stack pointer, or another CPU's sums pend. */
  private boolean moveSp(int c, int reg, long old, long value) {
    if (reg != spReg || c >= CPUS || (cpu >= 0 && cpu != c)) {
      return false;
    }
    cpu = c;
    spMoved += value - old;
    return true;
  }

  /**
   * Before a write of cpu's register reg is journaled: a register write is undone by its own XOR,
   * which no other register's value enters, so only a write of a register whose sum pends (a jump
   * after the pc moved on) needs the sums written out first.
   */
  private void flushFor(int c, int reg) {
    if (c == cpu && (reg == pcReg || reg == spReg)) {
      flush();
    }
  }

  /** Journals the pending sums as register writes (their registers hold the moved values now). */
  void flush() {
    int c = cpu;
    if (c < 0) {
      return;
    }
    cpu = -1;
    if (advanced) {
      advanced = false;
      long now = registers.value(c, pcReg);
      RegisterHeader.push(journal, c, pcReg, now ^ (now - pcBy));
    }
    if (spMoved != 0) {
      long now = registers.value(c, spReg);
      RegisterHeader.push(journal, c, spReg, now ^ (now - spMoved));
      spMoved = 0;
    }
  }

  /** Writes the step's end marker with the pending sums. */
  void close() {
    int c = cpu;
    if (c < 0) {
      journal.push(Timeline.STEP);
      return;
    }
    int header = Timeline.STEP | (advanced ? ADVANCED : 0) | c << CPU_SHIFT;
    if (spMoved != 0) {
      journal.pushEntry((spMoved << 1) ^ (spMoved >> 63), header | SP_MOVED);
    } else {
      journal.push(header);
    }
    forget();
  }

  void forget() {
    cpu = -1;
    advanced = false;
    spMoved = 0;
  }

  static int cpu(int header) {
    return header >>> CPU_SHIFT;
  }

  /** Undoes an end marker's sums; header has just been popped off t's journal. */
  static void undo(Timeline t, int header) {
    StepEnd s = t.stepEnd;
    int c = cpu(header);
    if ((header & SP_MOVED) != 0) {
      long zz = t.journal.popVarint();
      t.registers.restore(c, s.spReg, t.registers.value(c, s.spReg) - ((zz >>> 1) ^ -(zz & 1)));
    }
    if ((header & ADVANCED) != 0) {
      t.registers.restore(c, s.pcReg, t.registers.value(c, s.pcReg) - s.pcBy);
    }
  }
}
