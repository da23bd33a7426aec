package kstack.arch.x86;

import kstack.kernel.StructMember;

/**
 * The pt_regs members the x86 code common to i386 and x86_64 reads: the saved code segment
 * (user_mode) and orig_ax (do_IRQ's ~vector); both layouts have them (arch/x86/include/asm/
 * ptrace.h), 2.4 and 2.6.11's i386 as xcs and orig_eax (include/asm-i386/ptrace.h@2.6.11:26-44).
 */
public enum X86PtRegs implements StructMember {
  cs("cs", "xcs"), orig_ax("orig_ax", "orig_eax");

  private final String path;
  private final String i386Before2625;

  X86PtRegs(String path, String i386Before2625) {
    this.path = path;
    this.i386Before2625 = i386Before2625;
  }

  @Override
  public String struct() {
    return "pt_regs";
  }

  @Override
  public String[] paths() {
    return new String[] {path, i386Before2625};
  }
}
