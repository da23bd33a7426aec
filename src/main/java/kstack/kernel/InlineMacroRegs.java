package kstack.kernel;

/**
 * The i386 pt_regs members the generic kernel code of 2.4 and 2.6.11 touches itself, where it
 * expands the arch's macros inline: start_thread's segments, eip and esp
 * (include/asm-i386/processor.h@2.4.22:425-433, @2.6.11:468-476), do_IRQ's orig_eax and
 * user_mode's xcs (arch/i386/kernel/irq.c@2.4.22:563-657, include/asm-i386/ptrace.h@2.4.22:56).
 * Named by their current names and the e-/x-prefixed ones those generations gave them; only i386
 * has them all, so each is resolved where its layout has it and read only by code built for i386.
 */
public enum InlineMacroRegs implements StructMember {
  ds("xds"), es("xes"), ss("xss"), cs("xcs"), ip("eip"), sp("esp"), orig_ax("orig_eax");

  private final String before2625;

  InlineMacroRegs(String before2625) {
    this.before2625 = before2625;
  }

  @Override
  public String struct() {
    return "pt_regs";
  }

  @Override
  public String[] paths() {
    return new String[] {name(), before2625};
  }

  @Override
  public boolean required() {
    return false;
  }
}
