package kstack.arch.arm64;

import kstack.kernel.StructMember;

/**
 * task_struct's thread.cpu_context on arm64, where cpu_switch_to saves the callee-saved registers,
 * fp, sp and the return pc of a task it switches away from (struct cpu_context,
 * arch/arm64/include/asm/processor.h@4.16.13:65-79, @6.19:136-150).
 */
public enum CpuContext implements StructMember {
  x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, fp, sp, pc;

  /** The callee-saved registers cpu_switch_to stores in pairs, x19..x28. */
  static final CpuContext[] CALLEE_SAVED = {x19, x20, x21, x22, x23, x24, x25, x26, x27, x28};

  @Override
  public String struct() {
    return "task_struct";
  }

  @Override
  public String[] paths() {
    return new String[] {"thread.cpu_context." + name()};
  }
}
