package kstack.stack;

/**
 * The kind of stack a frame's record or a stack pointer is on, as a backtrace shows it in its
 * {@code [kind]} column and in the JSON {@code "stack"} field: a task's own kernel stack, the
 * per-CPU hardirq and softirq stacks (i386's hardirq_stack/softirq_stack, x86_64's and arm64's
 * irq_stack), an exception (IST) stack, x86's cpu_entry_area entry stack, arm64's overflow stack,
 * user space, or none the machine knows.
 */
public enum StackKind {
  TASK,
  IRQ,
  SOFTIRQ,
  EXCEPTION,
  ENTRY,
  OVERFLOW,
  USER,
  UNKNOWN;

  /**
   * The kind as text and JSON show it: its name in lower case ("task", "irq", "softirq", ...).
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The same text as {@link #label()}, so a kind formats as it always has. */
  @Override
  public String toString() {
    return label();
  }
}
