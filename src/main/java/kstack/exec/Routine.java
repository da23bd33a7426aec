package kstack.exec;

import java.util.List;
import java.util.Map;

/**
 * A function or assembly routine placed in a text section. Each step occupies {@link #INSN_SIZE}
 * bytes, so return addresses and breakpoints are real addresses inside the routine's symbol range (the
 * bytes there are not x86 machine code; the offsets are the simulator's own).
 */
public final class Routine {
  public static final int INSN_SIZE = 4;

  /** How the routine is written in Linux: assembly, a C function, or user-space code. */
  public enum Kind { ASM, C, USER }

  private final String name;
  private final String source;
  private final Kind kind;
  private final List<Insn> insns;
  private final Map<String, Integer> labels;
  private final List<String> locals;
  private final int bodyStart;
  private final java.util.Set<String> globalLabels;
  private final boolean paramsOnStack;
  private final int arity;
  private long base;

  Routine(String name, String source, Kind kind, List<Insn> insns, Map<String, Integer> labels,
      List<String> locals, int bodyStart, java.util.Set<String> globalLabels,
      boolean paramsOnStack, int arity) {
    this.name = name;
    this.source = source;
    this.kind = kind;
    this.insns = List.copyOf(insns);
    this.labels = Map.copyOf(labels);
    this.locals = List.copyOf(locals);
    this.bodyStart = bodyStart;
    this.globalLabels = java.util.Set.copyOf(globalLabels);
    this.paramsOnStack = paramsOnStack;
    this.arity = arity;
  }

  /** The number of parameters of the function's prototype. */
  public int arity() {
    return arity;
  }

  /**
   * Whether callers pass every argument on the stack: i386 {@code asmlinkage} (regparm(0)) kernel
   * functions and all i386 user code. Elsewhere the first arguments travel in registers.
   */
  public boolean paramsOnStack() {
    return paramsOnStack;
  }

  /** Labels that the linker also exports as symbols. */
  public java.util.Set<String> globalLabels() {
    return globalLabels;
  }

  public String name() {
    return name;
  }

  /** The Linux file this routine models, e.g. {@code arch/x86/entry/entry_64.S}. */
  public String source() {
    return source;
  }

  public Kind kind() {
    return kind;
  }

  public List<Insn> insns() {
    return insns;
  }

  public Insn insn(int i) {
    return insns.get(i);
  }

  public int label(String label) {
    Integer i = labels.get(label);
    if (i == null) {
      throw new IllegalStateException(name + " has no label " + label);
    }
    return i;
  }

  public List<String> locals() {
    return locals;
  }

  public int localSlot(String local) {
    int i = locals.indexOf(local);
    if (i < 0) {
      throw new IllegalStateException(name + " has no local " + local);
    }
    return i;
  }

  /** Index of the first step after the prologue (where a C function's body begins). */
  public int bodyStart() {
    return bodyStart;
  }

  public long base() {
    return base;
  }

  public void place(long base) {
    this.base = base;
  }

  public long size() {
    return (long) insns.size() * INSN_SIZE;
  }

  public long address(int index) {
    return base + (long) index * INSN_SIZE;
  }

  public boolean contains(long addr) {
    return Long.compareUnsigned(addr, base) >= 0 && Long.compareUnsigned(addr, base + size()) < 0;
  }

  public int indexOf(long addr) {
    return (int) ((addr - base) / INSN_SIZE);
  }
}
