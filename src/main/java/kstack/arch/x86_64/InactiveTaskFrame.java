package kstack.arch.x86_64;

import kstack.kernel.StructMember;

/**
 * The members of x86_64's struct inactive_task_frame, what __switch_to_asm leaves on a task's
 * stack when it switches away (arch/x86/include/asm/switch_to.h@4.16.13:22-34, @6.19:22-34; 2.6.32
 * has no such struct, its switch is inline in schedule()).
 */
public enum InactiveTaskFrame implements StructMember {
  r15, r14, r13, r12, bx, bp, ret_addr;

  @Override
  public String struct() {
    return "inactive_task_frame";
  }
}
