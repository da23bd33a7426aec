package kstack.arch.x86_64;

import kstack.kernel.StructMember;

/**
 * The members of x86_64's struct pt_regs, 21 eight-byte slots from r15 (saved last on entry) to
 * ss (pushed first by the CPU) (arch/x86/include/asm/ptrace.h@2.6.32.67:53-81, @4.16.13:55-86,
 * @6.19:103-160, the same names and order in each). Resolved by the kernel when it is built.
 */
public enum PtRegs implements StructMember {
  r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;

  @Override
  public String struct() {
    return "pt_regs";
  }
}
