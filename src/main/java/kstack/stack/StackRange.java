package kstack.stack;

import java.util.List;

/**
 * One stack a CPU's frames can be on, its words at [low, high), and which addresses count as on
 * it. The rule, one for every stack of every profile:
 *
 * <ul>
 *   <li>An object (a frame record, pt_regs) is on the stack when it lies inside [low, high).
 *   <li>A stack pointer is on the stack when low &lt;= sp &lt;= high. A push lowers sp and then
 *       writes at sp, so sp == high is the empty stack (the next push writes the top word) and
 *       sp == low the full one. This is what the kernel's helpers say wherever they are asked
 *       about a stack pointer that can be at the top: arm64 6.19's stackinfo_on_stack(info, sp, 0)
 *       takes [low, high] (stacktrace/common.h@6.19:46-56, the handler call_on_irq_stack enters
 *       with sp at the top of the IRQ stack), and i386's in_hardirq_stack/in_softirq_stack take
 *       end as "a valid stack pointer. It just means the stack is empty" (dumpstack_32.c@6.19:38-73;
 *       4.16 the same top, dumpstack_32.c@4.16.13:35-70; x86_64 4.16's in_irq_stack too,
 *       dumpstack_64.c@4.16.13:82-92). The helpers that leave end out (in_task_stack and
 *       in_entry_stack, dumpstack.c@4.16.13:30-61, @6.19:30-62; 6.19's in_irq_stack,
 *       dumpstack_64.c@6.19:135-154) do so because the kernel's own unwinder never starts from an
 *       empty stack ("RSP can never be == @end"), but kstack stops at any instruction, such as an
 *       entry's first push onto the empty task stack.
 *   <li>Where two stacks touch (the top of one is the bottom of the next: 2.6.32's exception
 *       stacks, i386's hardirq and softirq stacks in this model), the one sp is inside, [low, high),
 *       wins over the one it would be the empty top of.
 * </ul>
 *
 * @param kind the kind a backtrace shows (task, irq, softirq, exception, entry, overflow)
 * @param name the stack's own name ("NMI stack"), or empty for the kind's usual one
 */
public record StackRange(StackKind kind, String name, long low, long high) {

  public static StackRange of(StackKind kind, long low, long high) {
    return new StackRange(kind, "", low, high);
  }

  /** Whether the object [a, a + len) lies inside the stack's words. */
  public boolean holds(long a, long len) {
    return Long.compareUnsigned(a, low) >= 0 && Long.compareUnsigned(a + len, a) >= 0
        && Long.compareUnsigned(a + len, high) <= 0 && Long.compareUnsigned(a, high) < 0;
  }

  /** Whether sp is a stack pointer on this stack: low &lt;= sp &lt;= high (high: empty). */
  public boolean holdsSp(long sp) {
    return Long.compareUnsigned(sp, low) >= 0 && Long.compareUnsigned(sp, high) <= 0;
  }

  /**
   * The stack that stack pointer sp is on: the first one sp is inside, else the first one it is
   * the empty top of; null when none.
   */
  public static StackRange find(List<StackRange> stacks, long sp) {
    for (StackRange r : stacks) {
      if (r.holds(sp, 0)) {
        return r;
      }
    }
    for (StackRange r : stacks) {
      if (r.holdsSp(sp)) {
        return r;
      }
    }
    return null;
  }

  /** The kind of the stack sp is on, or null. */
  public static StackKind kindOf(List<StackRange> stacks, long sp) {
    StackRange r = find(stacks, sp);
    return r == null ? null : r.kind();
  }

  /** The kind of the stack that holds the frame record [a, a + len), or null. */
  public static StackKind recordKindOf(List<StackRange> stacks, long a, long len) {
    for (StackRange r : stacks) {
      if (r.holds(a, len)) {
        return r.kind();
      }
    }
    return null;
  }
}
