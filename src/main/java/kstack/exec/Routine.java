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
  /** Each step's effect by index: what the engine runs, without the list's and the record's hops. */
  private final Op[] ops;
  private final Map<String, Integer> labels;
  private final List<String> locals;
  private final int bodyStart;
  private final java.util.Set<String> globalLabels;
  private final boolean paramsOnStack;
  private final int arity;
  private int spilledParams;
  private final Map<String, Integer> slotByName;
  private Class<?>[] handleKinds;
  private int[][] handleSlots;
  private final List<CallSite> calls;
  private long base;
  private final long size;

  Routine(String name, String source, Kind kind, List<Insn> insns, Map<String, Integer> labels,
      List<String> locals, List<Local> handles, int bodyStart, java.util.Set<String> globalLabels,
      boolean paramsOnStack, int arity, List<CallSite> calls) {
    this.name = name;
    this.source = source;
    this.kind = kind;
    this.insns = List.copyOf(insns);
    this.ops = this.insns.stream().map(Insn::op).toArray(Op[]::new);
    this.size = (long) this.insns.size() * INSN_SIZE;
    this.labels = Map.copyOf(labels);
    this.locals = List.copyOf(locals);
    Map<String, Integer> byName = new java.util.HashMap<>();
    for (int i = 0; i < this.locals.size(); i++) {
      byName.putIfAbsent(this.locals.get(i), i);
    }
    this.slotByName = Map.copyOf(byName);
    this.handleKinds = new Class<?>[0];
    this.handleSlots = new int[0][];
    for (Local h : handles) {
      if (kindIndex(h.getClass()) < 0) {
        addKind(h); // every constant of the enum, by name: a routine may be built by two classes
      }
    }
    this.calls = List.copyOf(calls);
    this.bodyStart = bodyStart;
    this.globalLabels = java.util.Set.copyOf(globalLabels);
    this.paramsOnStack = paramsOnStack;
    this.arity = arity;
  }

  /**
   * How many parameters the prologue copies into the first frame slots (the rest of the arity
   * stays where the calling convention put them): what a debugger can show as the frame's args.
   */
  public int spilledParams() {
    return spilledParams;
  }

  void spilledParams(int n) {
    spilledParams = n;
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

  /** What step i does. */
  Op op(int i) {
    return ops[i];
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

  /**
   * The frame slot of a local named by a string (user input: a by-name lookup through the map built
   * once with the routine).
   */
  public int localSlot(String local) {
    Integer i = slotByName.get(local);
    if (i == null) {
      throw new IllegalStateException(name + " has no local " + local);
    }
    return i;
  }

  /**
   * The frame slot of a local handle, fixed when the routine was built: an array index. A handle
   * the routine does not declare fails naming the routine and the local.
   */
  public int slot(Local local) {
    int i = kindIndex(local.getClass());
    if (i < 0) {
      addKind(local);
      return slot(local);
    }
    int s = handleSlots[i][local.ordinal()];
    if (s < 0) {
      throw new IllegalStateException(name + " has no local " + local.name());
    }
    return s;
  }

  private int kindIndex(Class<?> kind) {
    for (int i = 0; i < handleKinds.length; i++) {
      if (handleKinds[i] == kind) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Builds, once, the slot table of another class's handle enum (a helper class reading a local of
   * a routine built elsewhere): each constant maps to the slot of the local with its name.
   */
  private void addKind(Local local) {
    Object[] all = local.getClass().getEnumConstants();
    if (all == null) {
      throw new IllegalStateException(name + ": local handle " + local.name() + " is not an enum constant");
    }
    int[] t = new int[all.length];
    for (int i = 0; i < all.length; i++) {
      Integer s = slotByName.get(((Local) all[i]).name());
      t[i] = s == null ? -1 : s;
    }
    Class<?>[] kinds = java.util.Arrays.copyOf(handleKinds, handleKinds.length + 1);
    int[][] slots = java.util.Arrays.copyOf(handleSlots, handleSlots.length + 1);
    kinds[kinds.length - 1] = local.getClass();
    slots[slots.length - 1] = t;
    handleKinds = kinds;
    handleSlots = slots;
  }

  /** The direct calls this routine makes, which the image linker resolves. */
  public List<CallSite> calls() {
    return calls;
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
    return size;
  }

  public long address(int index) {
    return base + (long) index * INSN_SIZE;
  }

  public boolean contains(long addr) {
    return Long.compareUnsigned(addr - base, size) < 0; // one compare: below base wraps past size

  }

  public int indexOf(long addr) {
    return (int) ((addr - base) / INSN_SIZE);
  }
}
