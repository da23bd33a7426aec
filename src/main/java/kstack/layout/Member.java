package kstack.layout;

import kstack.mem.Memory;

/**
 * A struct member resolved once: the dotted path as the layout names it, its offset from the
 * struct's start and its size. Code that reads a member on every step holds one of these instead
 * of looking the name up each time.
 */
public record Member(String struct, String path, int offset, int size) {
  /** The member of the struct at base. */
  public long read(Memory mem, long base) {
    return mem.read(base + offset, size);
  }

  public void write(Memory mem, long base, long value) {
    mem.write(base + offset, size, value);
  }
}
