package kstack.arch.x86_64;

import java.util.List;

/**
 * x86_64's registers by number, as steps name them: {@code x.reg(Regs.rcx)} is an array index, the
 * number fixed when this class is compiled, where {@code x.reg(Regs.rcx)} looked the name up on every
 * step. {@link X86Isa64} builds its register set from {@link #NAMES}, so the numbers are the set's
 * (RegsTest checks each constant against the set).
 */
final class Regs {
  private Regs() {}

  /** The register file in order: register n of the CPU is NAMES.get(n). */
  static final List<String> NAMES = List.of(
      "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
      "r13", "r14", "r15", "rip", "eflags", "cs", "ss", "fs_base", "gs_base", "k_gs_base", "cr2",
      "cr3", "lstar", "nmi_blocked");

  static final int rax = 0;
  static final int rbx = 1;
  static final int rcx = 2;
  static final int rdx = 3;
  static final int rsi = 4;
  static final int rdi = 5;
  static final int rbp = 6;
  static final int rsp = 7;
  static final int r8 = 8;
  static final int r9 = 9;
  static final int r10 = 10;
  static final int r11 = 11;
  static final int r12 = 12;
  static final int r13 = 13;
  static final int r14 = 14;
  static final int r15 = 15;
  static final int rip = 16;
  static final int eflags = 17;
  static final int cs = 18;
  static final int ss = 19;
  static final int fs_base = 20;
  static final int gs_base = 21;
  static final int k_gs_base = 22;
  static final int cr2 = 23;
  static final int cr3 = 24;
  static final int lstar = 25;
  static final int nmi_blocked = 26;

  /** POP_REGS' pops, first to last (calling.h@4.16.13:145-163, @6.19:131-152). */
  static final int[] POP_REGS = {r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx,
      rsi, rdi};

  /** CLEAR_REGS: the registers zeroed after the pushes (calling.h@6.19:100-120). */
  static final int[] CLEAR_REGS = {rsi, rdx, rcx, r8, r9, r10, r11, rbx, rbp, r12, r13, r14,
      r15};

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
