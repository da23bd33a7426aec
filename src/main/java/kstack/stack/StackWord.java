package kstack.stack;

/**
 * One word of a stack as {@code stack} shows it: address, value, and what the word is.
 *
 * @param kind  a short class: pt_regs, frame, retaddr, switch, magic, local, unused, ...
 * @param label what the word is, e.g. "pt_regs->sp (user rsp)" or "return address: schedule+0x10"
 */
public record StackWord(long address, long value, WordKind kind, String label) {

  /** What an address's word is before its value is read: its kind and its label. */
  public record Label(WordKind kind, String text) {}
}
