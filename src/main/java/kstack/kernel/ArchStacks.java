package kstack.kernel;

import kstack.stack.Frame;
import kstack.stack.StackRange;

/**
 * What the arch knows about reading stacks: its unwinder, the stacks a task's frames can be
 * on with their edge rules, and the labels of each stack word. Part of the arch
 * port, {@link Arch}.
 */
public interface ArchStacks {
  /** Frames of a task, innermost first, found by reading the simulated stack bytes. */
  java.util.List<Frame> unwind(Kernel k, long task, boolean running, int cpu);

  /**
   * The stacks a task's frames can be on (its own; while it runs, its CPU's IRQ, exception, entry
   * and overflow stacks), each with this generation's rule for its edges (StackRange).
   */
  java.util.List<StackRange> stackRanges(Kernel k, long task, boolean running, int cpu);

  /** Labels for each word of a task's kernel stack (pt_regs fields, frames, switch frame...). */
  java.util.List<kstack.stack.StackWord> describeStack(Kernel k, long task, boolean running,
      int cpu);
}
