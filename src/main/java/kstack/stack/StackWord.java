package kstack.stack;

/**
 * One word of a stack as {@code stack} shows it: address, value, and what the word is.
 *
 * @param kind  a short class: pt_regs, frame, retaddr, switch, magic, local, unused, user
 * @param label what the word is, e.g. "pt_regs->sp (user rsp)" or "return address: schedule+0x10"
 */
public record StackWord(long address, long value, String kind, String label) {}
