package kstack.trace;

/**
 * One store the timeline journaled, as data: which address space (its id), where, how wide, the
 * value it replaced and the value it left. Derived on demand by {@link Timeline#writes}, so the hot
 * path records only what undo needs (the old value).
 *
 * @param valueKnown false when the bytes the store left can no longer be read (their region was
 *     unmapped later and no later store in the window says what they were)
 */
public record MemoryWrite(int space, long addr, int size, long old, long value,
    boolean valueKnown) {}
