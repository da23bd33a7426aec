package kstack.arch.i386;

import kstack.kernel.StructMember;

/**
 * The members of i386's struct inactive_task_frame, what __switch_to_asm leaves on a task's stack
 * (arch/x86/include/asm/switch_to.h@4.16.13:36-43, @6.19:36-45 with CONFIG_X86_32); 6.19 saves
 * eflags first, 4.16 has no flags; the generations before 4.9 have no such struct.
 */
public enum InactiveTaskFrame implements StructMember {
  flags(false), si(true), di(true), bx(true), bp(true), ret_addr(true);

  private final boolean everyFrame;

  InactiveTaskFrame(boolean everyFrame) {
    this.everyFrame = everyFrame;
  }

  @Override
  public String struct() {
    return "inactive_task_frame";
  }

  @Override
  public boolean required() {
    return everyFrame;
  }
}
