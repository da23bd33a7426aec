package kstack.exec;

/**
 * One simulated instruction or C-level step. {@code text} says, in our words, what it does (shown by
 * {@code stepi} and the trace); {@code op} does it.
 */
public record Insn(String text, Op op) {}
