package kstack.cpu;

import kstack.trace.Timeline;

/**
 * One simulated CPU: its register file and the base of its per-CPU area. Register writes are recorded
 * on the machine's timeline so that they can be undone like memory stores.
 */
public final class Cpu {
  private final int id;
  private final RegisterSet set;
  private final long[] regs;
  private Timeline timeline;
  /**
   * The set's width mask, its stack pointer and whether some mode banks it, held here so that a
   * register write reads no other object (the arch declares them before any CPU exists).
   */
  private final long widthMask;
  private final int spReg;
  private final boolean banked;

  public Cpu(int id, RegisterSet set) {
    this.id = id;
    this.set = set;
    this.regs = new long[set.count()];
    this.widthMask = set.fit(-1L);
    this.spReg = set.sp;
    this.banked = set.banksSp();
  }

  public void attach(Timeline timeline) {
    this.timeline = timeline;
    timeline.stackPointerIs(set.sp);
  }

  public int id() {
    return id;
  }

  public RegisterSet registers() {
    return set;
  }

  public long get(int reg) {
    return regs[reg];
  }

  public long get(String name) {
    return regs[set.of(name)];
  }

  public void set(int reg, long value) {
    value &= widthMask;
    if (reg == spReg && banked) {
      int bank = set.spBank(regs);
      if (bank >= 0) {
        set(bank, value);
      }
    }
    long old = regs[reg];
    if (old == value) {
      return;
    }
    if (timeline != null) {
      timeline.registerChanged(id, reg, old, value);
    }
    regs[reg] = value;
  }

  public void set(String name, long value) {
    set(set.of(name), value);
  }

  /**
   * Moves the program counter on by {@code by} bytes: a step that did not branch. Kept apart from
   * {@link #set} because nearly every step ends so, and the timeline can record it more cheaply
   * than a register write.
   */
  public void advancePc(int by) {
    int pc = set.pc;
    long value = regs[pc] + by;
    if (by == 0 || (value & widthMask) != value) { // wraps (a 32-bit pc at the top): an ordinary write
      set(pc, value);
      return;
    }
    if (timeline != null) {
      timeline.pcAdvanced(id, pc, by);
    }
    regs[pc] = value;
  }

  /** Applies an undone value without recording (only the timeline calls this). */
  public void restore(int reg, long value) {
    regs[reg] = value;
  }

  public long sp() {
    return regs[set.sp];
  }

  public long pc() {
    return regs[set.pc];
  }

  public long[] snapshot() {
    return regs.clone();
  }
}
