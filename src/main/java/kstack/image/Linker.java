package kstack.image;

import kstack.exec.CallSite;
import kstack.exec.CodeMap;
import kstack.exec.Routine;
import kstack.layout.CType;
import kstack.mem.Memory;
import kstack.mem.Region;

/**
 * Lays out a kernel image section by section, as the kernel's linker script does: a location counter
 * that is aligned, given symbols, and advanced over routines and objects. Sections become mapped
 * regions of kernel memory, placed symbols become the symbol table.
 */
public final class Linker {
  private final Memory memory;
  private final SymbolTable symbols;
  private String section;
  private Region.Kind sectionKind;
  private long sectionStart;
  private long dot;

  public Linker(Memory memory, SymbolTable symbols) {
    this.memory = memory;
    this.symbols = symbols;
  }

  /** Starts a section at an absolute address. */
  public Linker section(String name, long start, Region.Kind kind) {
    endSection();
    section = name;
    sectionKind = kind;
    sectionStart = start;
    dot = start;
    return this;
  }

  /** Closes the current section and maps it. */
  public void endSection() {
    if (section != null && dot != sectionStart) {
      memory.map(new Region(section, sectionStart, dot - sectionStart, sectionKind));
    }
    section = null;
  }

  public long dot() {
    return dot;
  }

  /** {@code . = ALIGN(a)} */
  public Linker align(long a) {
    dot = (dot + a - 1) & -a;
    return this;
  }

  /** {@code . = addr} (forward only) */
  public Linker setDot(long addr) {
    if (Long.compareUnsigned(addr, dot) < 0) {
      throw new IllegalStateException("location counter cannot move back in " + section);
    }
    dot = addr;
    return this;
  }

  /** Defines a linker symbol at the location counter, e.g. {@code __start_init_task = .}. */
  public long label(String name) {
    symbols.add(new Symbol(name, dot, 0, Symbol.Kind.LABEL, null));
    return dot;
  }

  /** Defines a linker symbol naming an object of a type at the location counter, without space. */
  public long alias(String name, CType type, long size) {
    symbols.add(new Symbol(name, dot, size, Symbol.Kind.OBJECT, type));
    return dot;
  }

  /** Defines an absolute symbol at any address, e.g. {@code initial_stack}'s target. */
  public void absolute(String name, long address) {
    symbols.add(new Symbol(name, address, 0, Symbol.Kind.LABEL, null));
  }

  /** Places a routine at the (16-byte aligned) location counter. */
  public long place(Routine r) {
    align(16);
    r.place(dot);
    symbols.add(new Symbol(r.name(), dot, r.size(), Symbol.Kind.FUNC, null));
    for (String g : r.globalLabels()) {
      symbols.add(new Symbol(g, r.address(r.label(g)), 0, Symbol.Kind.LABEL, null));
    }
    dot += r.size();
    return r.base();
  }

  /** Places a data object of a type. */
  public long object(String name, CType type, int alignment) {
    align(Math.max(alignment, type.align()));
    long at = dot;
    symbols.add(new Symbol(name, at, type.size(), Symbol.Kind.OBJECT, type));
    dot += type.size();
    return at;
  }

  /**
   * The link step for calls: every direct call written in a placed routine gets its callee's
   * address, so no step looks a name up when it runs. A callee the image does not define fails the
   * link naming caller and callee; so does a call passing a number of arguments other than the
   * callee's parameters, when the callee is a C or user function starting at that address (an
   * assembly routine declares no prototype; see {@link kstack.exec.RoutineBuilder} for what else is
   * left unchecked).
   */
  public static void resolveCalls(CodeMap code, SymbolTable symbols) {
    for (Routine r : code.all()) {
      for (CallSite c : r.calls()) {
        Symbol s = symbols.get(c.target());
        if (s == null) {
          throw new IllegalStateException("link: " + c.caller() + " calls " + c.target()
              + ", which the image does not define");
        }
        Routine callee = code.at(s.address());
        if (c.argCount() >= 0 && callee != null && callee.base() == s.address()
            && callee.kind() != Routine.Kind.ASM && callee.arity() != c.argCount()) {
          throw new IllegalStateException("link: " + c.caller() + " calls " + c.target() + " with "
              + c.argCount() + " argument" + (c.argCount() == 1 ? "" : "s") + ", but "
              + callee.name() + " takes " + callee.arity());
        }
        c.resolve(s.address());
      }
    }
  }
}
