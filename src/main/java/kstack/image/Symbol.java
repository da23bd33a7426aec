package kstack.image;

import kstack.layout.CType;

/**
 * A name in the kernel image's symbol table (or a user program's), as {@code nm} would list it.
 * {@code type} is the C type of an object symbol, so that expressions like {@code init_task.pid} work.
 */
public record Symbol(String name, long address, long size, Kind kind, CType type) {

  /** What the symbol names. PERCPU symbols hold an offset into every CPU's per-CPU area. */
  public enum Kind { FUNC, OBJECT, PERCPU, LABEL }
}
