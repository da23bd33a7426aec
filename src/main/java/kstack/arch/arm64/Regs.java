package kstack.arch.arm64;

import java.util.List;

/**
 * arm64's registers by number, as steps name them: {@code x.reg(Regs.x0)} is an array index, the
 * number fixed when this class is compiled, where {@code x.reg(Regs.x0)} looked the name up on every
 * step; x0..x30 are numbers 0..30, so {@code x.reg(Regs.x0 + i)} is xi. {@link Arm64} builds its
 * register set from {@link #NAMES}, so the numbers are the set's (RegsTest checks each constant
 * against the set).
 */
final class Regs {
  private Regs() {}

  /** The register file in order: register n of the CPU is NAMES.get(n). */
  static final List<String> NAMES = List.of(
      "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
      "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
      "x27", "x28", "x29", "x30", "sp", "pc", "pstate", "sp_el0", "sp_el1", "elr_el1", "spsr_el1",
      "esr_el1", "far_el1", "ttbr0_el1", "tpidr_el1", "tpidr_el0", "tpidrro_el0", "vbar_el1",
      "gic_iar");

  static final int x0 = 0;
  static final int x1 = 1;
  static final int x2 = 2;
  static final int x3 = 3;
  static final int x4 = 4;
  static final int x5 = 5;
  static final int x6 = 6;
  static final int x7 = 7;
  static final int x8 = 8;
  static final int x9 = 9;
  static final int x10 = 10;
  static final int x11 = 11;
  static final int x12 = 12;
  static final int x13 = 13;
  static final int x14 = 14;
  static final int x15 = 15;
  static final int x16 = 16;
  static final int x17 = 17;
  static final int x18 = 18;
  static final int x19 = 19;
  static final int x20 = 20;
  static final int x21 = 21;
  static final int x22 = 22;
  static final int x23 = 23;
  static final int x24 = 24;
  static final int x25 = 25;
  static final int x26 = 26;
  static final int x27 = 27;
  static final int x28 = 28;
  static final int x29 = 29;
  static final int x30 = 30;
  static final int sp = 31;
  static final int pc = 32;
  static final int pstate = 33;
  static final int sp_el0 = 34;
  static final int sp_el1 = 35;
  static final int elr_el1 = 36;
  static final int spsr_el1 = 37;
  static final int esr_el1 = 38;
  static final int far_el1 = 39;
  static final int ttbr0_el1 = 40;
  static final int tpidr_el1 = 41;
  static final int tpidr_el0 = 42;
  static final int tpidrro_el0 = 43;
  static final int vbar_el1 = 44;
  static final int gic_iar = 45;

  /**
   * The number of a register named by a string, for steps built in a loop over names: asked once,
   * when the routine is built, so a name this arch lacks fails the build.
   */
  static int of(String name) {
    int r = NAMES.indexOf(name);
    if (r < 0) {
      throw new IllegalArgumentException("no register named " + name);
    }
    return r;
  }
}
