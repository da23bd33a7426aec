package kstack.arch.i386;

import kstack.kernel.StructMember;

/**
 * The members of i386's struct pt_regs under their current names
 * (arch/x86/include/asm/ptrace.h@2.6.32.67:12-32, @4.16.13:12-37, @6.19:12-47 with
 * CONFIG_X86_32), each with the name i386 gave it before the x86 unification of 2.6.25: the
 * e-prefixed registers and x-prefixed segments of include/asm-i386/ptrace.h@2.6.11:26-44 and
 * entry.S@2.4.22:24-63. fs and gs are saved only from 2.6.20 and 2.6.32 on, so older layouts lack
 * them. Resolved by the kernel when it is built.
 */
public enum PtRegs implements StructMember {
  bx("ebx"), cx("ecx"), dx("edx"), si("esi"), di("edi"), bp("ebp"), ax("eax"), ds("xds"),
  es("xes"), fs(null), gs(null), orig_ax("orig_eax"), ip("eip"), cs("xcs"), flags("eflags"),
  sp("esp"), ss("xss");

  private final String before2625;

  PtRegs(String before2625) {
    this.before2625 = before2625;
  }

  @Override
  public String struct() {
    return "pt_regs";
  }

  @Override
  public String[] paths() {
    return before2625 == null ? new String[] {name()} : new String[] {name(), before2625};
  }

  @Override
  public boolean required() {
    return before2625 != null;
  }
}
