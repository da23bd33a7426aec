package kstack.trace;

import java.util.Arrays;

/**
 * The combined difference a block of history made: for every 8-byte-aligned word of a store and
 * every register it touched, the XOR of all the differences the block's entries kept there. XOR is
 * its own inverse and commutes, so applying the map once takes the machine from either end of the
 * block to the other, whatever order the stores were made in, and two adjacent blocks' maps merge
 * into the map of both. Keys are (store id, word address); a register is store {@link #REGISTER}
 * with the word (cpu &lt;&lt; 16 | register number). An open-addressing table while it is built,
 * trimmed to three arrays when sealed.
 */
final class XorMap {
  /** The store id under which a register's difference is kept. */
  static final int REGISTER = -1;
  private int[] space;
  private long[] word;
  private long[] xor;
  private boolean[] used;
  private int count;

  XorMap() {
    alloc(64);
  }

  private void alloc(int capacity) {
    space = new int[capacity];
    word = new long[capacity];
    xor = new long[capacity];
    used = new boolean[capacity];
    count = 0;
  }

  /** A sealed map of the entries given as three arrays of equal length, none of them zero. */
  static XorMap of(int[] sp, long[] w, long[] x) {
    return new XorMap(sp, w, x);
  }

  private XorMap(int[] sp, long[] w, long[] x) {
    space = sp;
    word = w;
    xor = x;
    count = sp.length;
  }

  /** Adds a store's difference: width bytes at addr of store sp, split over the aligned words. */
  void addStore(int sp, long addr, int width, long diff) {
    int off = (int) (addr & 7);
    long base = addr & ~7L;
    add(sp, base, diff << (8 * off));
    if (off + width > 8) {
      add(sp, base + 8, diff >>> (8 * (8 - off)));
    }
  }

  void addRegister(int cpu, int reg, long diff) {
    add(REGISTER, ((long) cpu << 16) | reg, diff);
  }

  /** XORs diff into the entry of (sp, w). */
  void add(int sp, long w, long diff) {
    if (diff == 0) {
      return;
    }
    if (used == null) {
      throw new IllegalStateException("a sealed difference map is not added to");
    }
    if (2 * (count + 1) > used.length) {
      rehash();
    }
    int mask = used.length - 1;
    int i = slot(sp, w) & mask;
    while (used[i] && (space[i] != sp || word[i] != w)) {
      i = (i + 1) & mask;
    }
    if (!used[i]) {
      used[i] = true;
      space[i] = sp;
      word[i] = w;
      count++;
    }
    xor[i] ^= diff;
  }

  private static int slot(int sp, long w) {
    long h = (w ^ ((long) sp << 40)) * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32);
  }

  private void rehash() {
    int[] s = space;
    long[] w = word;
    long[] x = xor;
    boolean[] u = used;
    alloc(u.length * 2);
    for (int i = 0; i < u.length; i++) {
      if (u[i]) {
        add(s[i], w[i], x[i]);
      }
    }
  }

  /** Trims the table to its entries (no more adds); returns this. */
  XorMap seal() {
    int n = 0;
    int[] s = new int[count];
    long[] w = new long[count];
    long[] x = new long[count];
    for (int i = 0; i < used.length; i++) {
      if (used[i] && xor[i] != 0) {
        s[n] = space[i];
        w[n] = word[i];
        x[n++] = xor[i];
      }
    }
    space = Arrays.copyOf(s, n);
    word = Arrays.copyOf(w, n);
    xor = Arrays.copyOf(x, n);
    used = null;
    count = n;
    return this;
  }

  /** A new map holding the differences of both (sealed) maps: the block they make together. */
  static XorMap merged(XorMap a, XorMap b) {
    XorMap m = new XorMap();
    for (XorMap part : new XorMap[] {a, b}) {
      for (int i = 0; i < part.count; i++) {
        m.add(part.space[i], part.word[i], part.xor[i]);
      }
    }
    return m.seal();
  }

  int size() {
    return count;
  }

  int space(int i) {
    return space[i];
  }

  long word(int i) {
    return word[i];
  }

  long xor(int i) {
    return xor[i];
  }

  /** Whether the (sealed) map changes any byte of [addr, addr + width) of store sp. */
  boolean touches(int sp, long addr, int width) {
    for (int i = 0; i < count; i++) {
      if (space[i] == sp) {
        for (int b = 0; b < 8; b++) {
          long a = word[i] + b;
          if (((xor[i] >>> (8 * b)) & 0xff) != 0 && a - addr >= 0 && a - addr < width) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Heap bytes of a sealed map: its three arrays. */
  long bytes() {
    return 48 + 20L * count;
  }
}
