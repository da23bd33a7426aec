package kstack.cpu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An architecture's register file as data: the names in display order and the roles the generic code
 * needs (stack pointer, frame pointer, program counter, return value, argument registers).
 */
public final class RegisterSet {
  private final List<String> names;
  private final Map<String, Integer> index = new HashMap<>();
  public final int sp;
  public final int fp;
  public final int pc;
  public final int ret;
  private final int[] args;
  private final int[] calleeSaved;

  public RegisterSet(List<String> names, String sp, String fp, String pc, String ret,
      List<String> args, List<String> calleeSaved) {
    this.names = List.copyOf(names);
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    this.sp = of(sp);
    this.fp = of(fp);
    this.pc = of(pc);
    this.ret = of(ret);
    this.args = args.stream().mapToInt(this::of).toArray();
    this.calleeSaved = calleeSaved.stream().mapToInt(this::of).toArray();
  }

  public int of(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no register named " + name);
    }
    return i;
  }

  public boolean has(String name) {
    return index.containsKey(name);
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
