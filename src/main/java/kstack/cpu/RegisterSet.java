package kstack.cpu;

import java.util.List;

/**
 * An architecture's register file as data: the names in display order and the roles the generic code
 * needs (stack pointer, frame pointer, program counter, return value, argument registers).
 */
public final class RegisterSet {
  private final List<String> names;
  /**
   * Each register's number by name, an open-addressed table: a step that names a register finds it
   * with one hash probe and, for the name literals steps are written with, an identity compare,
   * without a map node or an unboxing.
   */
  private final String[] probeNames;
  private final int[] probeRegs;
  public final int sp;
  public final int fp;
  public final int pc;
  public final int ret;
  private final int[] args;
  private final int[] calleeSaved;
  private final java.util.Set<String> hidden = new java.util.HashSet<>();
  private int bankMode = -1;
  private long bankMask;
  private long bankValue;
  private int bankSp = -1;
  private long widthMask = -1L;

  public RegisterSet(List<String> names, String sp, String fp, String pc, String ret,
      List<String> args, List<String> calleeSaved) {
    this.names = List.copyOf(names);
    int size = Integer.highestOneBit(Math.max(4, names.size() * 4 - 1)) * 2;
    probeNames = new String[size];
    probeRegs = new int[size];
    for (int i = 0; i < this.names.size(); i++) {
      int slot = probe(this.names.get(i));
      probeNames[slot] = this.names.get(i);
      probeRegs[slot] = i;
    }
    this.sp = of(sp);
    this.fp = of(fp);
    this.pc = of(pc);
    this.ret = of(ret);
    this.args = args.stream().mapToInt(this::of).toArray();
    this.calleeSaved = calleeSaved.stream().mapToInt(this::of).toArray();
  }

  /**
   * Declares a banked stack pointer: while {@code (modeReg & mask) == value} the SP in use is
   * {@code userSp} (arm64: at EL0t the SP is SP_EL0), so a write of {@code sp} also lands there.
   * Called once, by the arch, before any CPU exists.
   */
  public RegisterSet bankSp(String modeReg, long mask, long value, String userSp) {
    bankMode = of(modeReg);
    bankMask = mask;
    bankValue = value;
    bankSp = of(userSp);
    return this;
  }

  /**
   * Marks CPU state that has no architectural register (x86's NMI blocking) but must be journaled
   * like one: it is kept in the register file, not listed by {@code info registers}.
   */
  public RegisterSet hide(String... names) {
    for (String n : names) {
      of(n);
      hidden.add(n);
    }
    return this;
  }

  /**
   * Declares the width of the general and control registers (i386: 32 bits). A register holds only
   * that many bits: what is written is truncated, as a 32-bit CPU's mov of -1 leaves 0xffffffff.
   */
  public RegisterSet width(int bytes) {
    widthMask = bytes >= 8 ? -1L : (1L << (8 * bytes)) - 1;
    return this;
  }

  /** value as a register of this set holds it. */
  public long fit(long value) {
    return value & widthMask;
  }

  /** The registers {@code info registers} shows. */
  public List<String> visibleNames() {
    return names.stream().filter(n -> !hidden.contains(n)).toList();
  }

  /** Whether some mode keeps the stack pointer in a register of its own ({@link #bankSp}). */
  boolean banksSp() {
    return bankSp >= 0;
  }

  /** The register that also holds sp in the current mode, or -1. */
  int spBank(long[] regs) {
    return bankSp >= 0 && (regs[bankMode] & bankMask) == bankValue ? bankSp : -1;
  }

  public int of(String name) {
    int slot = probe(name);
    if (probeNames[slot] == null) {
      throw new IllegalArgumentException("no register named " + name);
    }
    return probeRegs[slot];
  }

  /** The slot of name in the probe table, or the empty slot where it would go. */
  private int probe(String name) {
    int mask = probeNames.length - 1;
    int h = name.hashCode();
    int slot = (h ^ (h >>> 16)) & mask;
    while (true) {
      String at = probeNames[slot];
      if (at == name || at == null || at.equals(name)) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * The register a name means: gdb's arch-neutral $pc, $sp and $fp (and kstack's $retval, the
   * return-value register) stand for this arch's own; any other name is itself.
   */
  public String resolve(String name) {
    return switch (name) {
      case "pc" -> name(pc);
      case "sp" -> name(sp);
      case "fp" -> name(fp);
      case "retval" -> name(ret);
      default -> name;
    };
  }

  public boolean has(String name) {
    return probeNames[probe(name)] != null;
  }

  public String name(int reg) {
    return names.get(reg);
  }

  public List<String> names() {
    return names;
  }

  public int count() {
    return names.size();
  }

  /** The i-th integer argument register of the C calling convention. */
  public int arg(int i) {
    return args[i];
  }

  public int argCount() {
    return args.length;
  }

  public int[] calleeSaved() {
    return calleeSaved.clone();
  }
}
