package kstack.arch.arm64;

import kstack.kernel.StructMember;

/**
 * The arm64 pt_regs members the code reads by handle rather than by its asm-offsets (S_SP, S_PC...,
 * Arm64Entry): regs (x0..x30, ELF_PLAT_INIT clears regs[0]) and the frame record at its end, {0, 0} on 4.16 and the metadata record of 6.x
 * (arch/arm64/include/asm/ptrace.h@4.16.13:150-170, @6.19:168-196).
 */
public enum PtRegs implements StructMember {
  regs, stackframe;

  @Override
  public String struct() {
    return "pt_regs";
  }
}
