package kstack.arch;

import java.util.List;

/**
 * One stack a CPU's frames can be on, [low, high) in memory, and the kernel's own rule for which
 * addresses count as on it. The kernel's helpers do not agree on the two edges, and an unwinder
 * that asks about the stack pointer itself meets both: sp == high is an empty stack that was
 * entered by loading its top (a software stack switch), sp == low a full one. kstack follows the
 * helper of each profile's own source (get_stack_info and its in_*_stack, or arm64's on_*_stack /
 * stackinfo_on_stack), so a boundary is answered as that kernel's stack dump would answer it:
 *
 * <ul>
 *   <li>x86 task stacks: [begin, end) (in_task_stack, dumpstack.c@4.16.13:30-44, @6.19:30-46);
 *       2.6's valid_stack_ptr takes (thread_info, top), the base itself excluded
 *       (dumpstack.c@2.6.32.67:73-84, traps.c@2.6.11:108-112); 2.4 has no such helper, and kstack
 *       takes its union as [base, top).
 *   <li>x86_64 IRQ stack: 2.6.32 [irq_stack, irq_stack_end) (dumpstack_64.c@2.6.32.67:175);
 *       4.16 (begin, end], the top being irq_stack_ptr, an empty stack (dumpstack_64.c@4.16.13:82-92);
 *       6.19 [begin, end) with end = hardirq_stack_ptr + 8 (dumpstack_64.c@6.19:135-154).
 *   <li>x86_64 IST stacks: 2.6.32 [end - size, end) (dumpstack_64.c@2.6.32.67:47-60); 4.16
 *       (begin, end) (dumpstack_64.c@4.16.13:63-70); 6.19 [begin, end) (dumpstack_64.c@6.19:94-126).
 *   <li>x86 entry stack: [begin, end) (in_entry_stack, dumpstack.c@4.16.13:47-55, @6.19:48-56).
 *   <li>i386 hardirq/softirq stacks, "a software stack, so end can be a valid stack pointer":
 *       4.16 (begin, end] (dumpstack_32.c@4.16.13:35-70), 6.19 [begin, end]
 *       (dumpstack_32.c@6.19:38-73); 2.6's irq_ctx stacks go through valid_stack_ptr, as the task
 *       stack does.
 *   <li>arm64 4.16: [low, high) for task, IRQ and overflow stacks (stacktrace.h@4.16.13:42-70);
 *       6.19: an object [sp, sp + size) lies in [low, high], so sp == high, of size 0, is on it
 *       (stackinfo_on_stack, stacktrace/common.h@6.19:46-56).
 * </ul>
 *
 * @param kind     the kind a backtrace shows (task, irq, softirq, exception, entry, overflow)
 * @param name     the stack's own name ("NMI stack"), or empty for the kind's usual one
 * @param lowIn    whether sp == low is on it
 * @param highIn   whether sp == high (an empty stack) is on it
 */
public record StackRange(String kind, String name, long low, long high, boolean lowIn,
    boolean highIn) {

  /** A stack with the usual [low, high) rule. */
  public static StackRange of(String kind, long low, long high) {
    return new StackRange(kind, "", low, high, true, false);
  }

  /** Whether address a (a stack pointer or a frame record's address) is on this stack. */
  public boolean holds(long a) {
    int lo = Long.compareUnsigned(a, low);
    int hi = Long.compareUnsigned(a, high);
    return (lo > 0 || (lo == 0 && lowIn)) && (hi < 0 || (hi == 0 && highIn));
  }

  /** The same stack with other edge rules. */
  public StackRange edges(boolean lowIncluded, boolean highIncluded) {
    return new StackRange(kind, name, low, high, lowIncluded, highIncluded);
  }

  /** The same stack, named. */
  public StackRange named(String n) {
    return new StackRange(kind, n, low, high, lowIn, highIn);
  }

  /** The first stack in stacks that holds a, or null. */
  public static StackRange find(List<StackRange> stacks, long a) {
    for (StackRange r : stacks) {
      if (r != null && r.holds(a)) {
        return r;
      }
    }
    return null;
  }

  /** The kind of the first stack in stacks that holds a, or null when none does. */
  public static String kindOf(List<StackRange> stacks, long a) {
    StackRange r = find(stacks, a);
    return r == null ? null : r.kind();
  }
}
