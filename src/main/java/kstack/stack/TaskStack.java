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
 */
public record TaskStack(StackOwner owner, String damage, List<Frame> backtrace, StackRegion stack,
    long ptRegs) {

  public TaskStack {
    backtrace = List.copyOf(backtrace);
  }
}
