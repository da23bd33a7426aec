package kstack.stack;

/**
 * What a word of a kernel stack is, as {@code stack} shows it in its kind column and in the JSON
 * {@code "kind"} field: a saved pt_regs member, a frame record's saved frame pointer or return
 * address, a word switch_to (or inactive_task_frame) saved, the padding above pt_regs, a local or
 * saved register, the STACK_END_MAGIC word, the unused words below the live stack, a member of the
 * thread_info or (2.4's task_union) task_struct at the stack's base, or a stale word from an
 * earlier kernel entry.
 */
public enum WordKind {
  PT_REGS,
  FRAME,
  RETADDR,
  SWITCH,
  PADDING,
  LOCAL,
  MAGIC,
  UNUSED,
  THREAD_INFO,
  TASK_STRUCT,
  STALE;

  /**
   * The kind as text and JSON show it: its name in lower case ("pt_regs", "frame", "retaddr", ...).
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
