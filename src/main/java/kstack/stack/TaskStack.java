package kstack.stack;

import java.util.List;

/**
 * One task's stacks at a point in time: its backtrace (innermost first, across every stack it
 * crosses: an IRQ or exception stack, its own, user space) and its own kernel stack's region with
 * its labelled words. Where an overflow has overwritten what names the task's stack (its
 * task_struct's stack pointer, its thread_info), damage says what, and there is no region.
 *
 * @param owner     the task (pid and comm as read from its task_struct)
 * @param damage    what an overflow overwrote, as Kernel.overwritten says it, or null
 * @param backtrace the frames the arch's unwinder finds
 * @param stack     the task's kernel stack, or null (damaged, or the stack is freed)
 * @param ptRegs    task_pt_regs(task): where the entry frame sits at the stack's top (0: none)
 * @param highWater the lowest word the stack ever used, as stack_not_used finds it (the first
 *                  non-zero word above the end of the stack), 0 where not known
 */
public record TaskStack(StackOwner owner, String damage, List<Frame> backtrace, StackRegion stack,
    long ptRegs, long highWater) {

  public TaskStack {
    backtrace = List.copyOf(backtrace);
  }

  /** Without a high-water mark (bt's frames only, or a stack that cannot be read). */
  public TaskStack(StackOwner owner, String damage, List<Frame> backtrace, StackRegion stack,
      long ptRegs) {
    this(owner, damage, backtrace, stack, ptRegs, 0);
  }
}
