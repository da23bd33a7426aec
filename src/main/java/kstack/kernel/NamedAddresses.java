package kstack.kernel;

import java.util.function.ToLongFunction;

/**
 * Addresses by name (symbols, per-CPU variables' link addresses), each resolved the first time the
 * name is asked: an open-addressed table whose probe compares the name literal a step is written
 * with by identity, so {@code current_task} or {@code _start} asked on every step or system call
 * costs no map node, no boxing and no string compare.
 */
final class NamedAddresses {
  private final ToLongFunction<String> resolve;
  private String[] names = new String[16];
  private long[] bases = new long[16];
  private int count;

  /** resolve gives a name's address (fixed once the image is linked), or throws for an unknown one. */
  NamedAddresses(ToLongFunction<String> resolve) {
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
