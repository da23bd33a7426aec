package kstack.arch.i386;

import java.util.List;

/**
 * i386's registers by number, as steps name them: {@code x.reg(Regs.eax)} is an array index, the
 * number fixed when this class is compiled, where {@code x.reg(Regs.eax)} looked the name up on every
 * step. {@link I386Abi#registers} builds the register set from {@link #NAMES}, so the numbers are
 * the set's (RegsTest checks each constant against the set).
 */
final class Regs {
  private Regs() {}

  /** The register file in order: register n of the CPU is NAMES.get(n). */
  static final List<String> NAMES = List.of(
      "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "eflags", "cs", "ss", "ds",
      "es", "fs", "gs", "fs_base", "tr_base", "cr2", "cr3", "nmi_blocked", "sysenter_cs",
      "sysenter_esp", "sysenter_eip");

  static final int eax = 0;
  static final int ebx = 1;
  static final int ecx = 2;
  static final int edx = 3;
  static final int esi = 4;
  static final int edi = 5;
  static final int ebp = 6;
  static final int esp = 7;
  static final int eip = 8;
  static final int eflags = 9;
  static final int cs = 10;
  static final int ss = 11;
  static final int ds = 12;
  static final int es = 13;
  static final int fs = 14;
  static final int gs = 15;
  static final int fs_base = 16;
  static final int tr_base = 17;
  static final int cr2 = 18;
  static final int cr3 = 19;
  static final int nmi_blocked = 20;
  static final int sysenter_cs = 21;
  static final int sysenter_esp = 22;
  static final int sysenter_eip = 23;

  /** RESTORE_ALL's general-register pops, first to last (entry.S of every generation). */
  static final int[] RESTORE_ALL = {ebx, ecx, edx, esi, edi, ebp, eax};

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
