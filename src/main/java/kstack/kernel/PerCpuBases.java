package kstack.kernel;

import java.util.function.ToLongFunction;

/**
 * Each per-CPU variable's link address by name, resolved the first time the name is asked: an
 * open-addressed table whose probe compares the name literal a step is written with by identity,
 * so {@code current_task} read on every step costs no map node, no boxing and no string compare.
 */
final class PerCpuBases {
  private final ToLongFunction<String> resolve;
  private String[] names = new String[16];
  private long[] bases = new long[16];
  private int count;

  /** resolve gives a name's link address (the arch's answer, fixed once the image is linked). */
  PerCpuBases(ToLongFunction<String> resolve) {
    this.resolve = resolve;
  }

  long of(String name) {
    int slot = probe(names, name);
    if (names[slot] == null) {
      long base = resolve.applyAsLong(name);
      if (2 * (count + 1) > names.length) {
        grow();
        slot = probe(names, name);
      }
      names[slot] = name;
      bases[slot] = base;
      count++;
    }
    return bases[slot];
  }

  private static int probe(String[] names, String name) {
    int mask = names.length - 1;
    int h = name.hashCode();
    int slot = (h ^ (h >>> 16)) & mask;
    while (true) {
      String at = names[slot];
      if (at == name || at == null || at.equals(name)) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private void grow() {
    String[] oldNames = names;
    long[] oldBases = bases;
    names = new String[oldNames.length * 2];
    bases = new long[oldNames.length * 2];
    for (int i = 0; i < oldNames.length; i++) {
      if (oldNames[i] != null) {
        int slot = probe(names, oldNames[i]);
        names[slot] = oldNames[i];
        bases[slot] = oldBases[i];
      }
    }
  }
}
