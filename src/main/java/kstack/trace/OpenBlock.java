package kstack.trace;

import java.util.Arrays;

/**
 * The combined difference of the block being recorded, kept up to date as each store and register
 * write is journaled, so that sealing the block at a boundary is a scan of the few pages it touched
 * rather than a walk back over its four thousand steps' entries. A page's differences live in an
 * array of its 512 words, found by a one-entry cache (a step's stores mostly hit the page of the
 * last one: the stack) and an open-addressing table behind it. Registers are not followed write by
 * write: their difference is what they hold at the block's end against what they held at its start.
 *
 * <p>Valid only while the journal has grown by recording since the block began: a seek or an undo
 * moves the present inside the journal, and the block is then sealed by walking it
 * ({@link JournalWalk#difference}) until the next boundary starts a fresh one.
 */
final class OpenBlock {
  private static final int WORDS = 512; // 8-byte words of a 4 KiB page
  private static final int KEPT_PAGES = 64;

  private boolean valid = true;
  // the touched pages, in the order first touched; their arrays are cleared and reused when sealed
  private int pages;
  private int[] pageSpace = new int[16];
  private long[] pageBase = new long[16];
  private long[][] pageWords = new long[16][];
  private int[] table = new int[64]; // index + 1 into the page arrays; 0 is empty
  // one-entry cache of the last page reached
  private int lastSpace = Integer.MIN_VALUE;
  private long lastBase = -1;
  private long[] lastWords;
  private final RegisterSink sink;
  /** Every CPU's registers when the block began: cpu -> register number -> value. */
  private long[][] start;

  OpenBlock(RegisterSink sink) {
    this.sink = sink;
    this.start = registersNow(); // what the registers hold when recording begins
  }

  boolean valid() {
    return valid;
  }

  /** The present moved inside the journal: this block's contents are no longer known here. */
  void invalidate() {
    valid = false;
  }

  /** XORs a store's difference into the words it spans: width bytes at addr of store sp. */
  void store(int sp, long addr, int width, long diff) {
    if (diff == 0) {
      return;
    }
    int off = (int) (addr & 7);
    long word = addr & ~7L;
    xorWord(sp, word, diff << (8 * off));
    if (off + width > 8) {
      xorWord(sp, word + 8, diff >>> (8 * (8 - off)));
    }
  }

  private void xorWord(int sp, long word, long diff) {
    long base = word & ~0xFFFL;
    long[] w = sp == lastSpace && base == lastBase ? lastWords : page(sp, base);
    int i = (int) (word >>> 3) & (WORDS - 1);
    w[i] ^= diff;
  }

  private long[] page(int sp, long base) {
    int mask = table.length - 1;
    int i = slot(sp, base) & mask;
    int at;
    while ((at = table[i]) != 0 && (pageSpace[at - 1] != sp || pageBase[at - 1] != base)) {
      i = (i + 1) & mask;
    }
    if (at == 0) {
      at = addPage(sp, base) + 1;
      if (2 * pages > table.length) {
        rehash();
      } else {
        table[i] = at;
      }
    }
    lastSpace = sp;
    lastBase = base;
    return lastWords = pageWords[at - 1];
  }

  private int addPage(int sp, long base) {
    if (pages == pageSpace.length) {
      int n = pages * 2;
      pageSpace = Arrays.copyOf(pageSpace, n);
      pageBase = Arrays.copyOf(pageBase, n);
      pageWords = Arrays.copyOf(pageWords, n);
    }
    pageSpace[pages] = sp;
    pageBase[pages] = base;
    if (pageWords[pages] == null) {
      pageWords[pages] = new long[WORDS];
    }
    return pages++;
  }

  private void rehash() {
    table = new int[table.length * 2];
    int mask = table.length - 1;
    for (int p = 0; p < pages; p++) {
      int i = slot(pageSpace[p], pageBase[p]) & mask;
      while (table[i] != 0) {
        i = (i + 1) & mask;
      }
      table[i] = p + 1;
    }
  }

  private static int slot(int sp, long base) {
    long h = (base ^ ((long) sp << 40)) * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32);
  }

  /**
   * The combined difference of t's block from its last boundary to the present, and a fresh, valid
   * block begins. Read back from the journal when the present moved inside the block.
   */
  XorMap seal(Timeline t) {
    if (valid) {
      return sealKept();
    }
    Checkpoints cp = t.checkpoints;
    XorMap walked = JournalWalk.difference(t, cp.pos(cp.last()), t.journal.size(), t.lastAddr,
        t.registers::value);
    restart();
    return walked;
  }

  /** The kept difference (its non-zero words and registers); the page arrays are cleared for reuse. */
  private XorMap sealKept() {
    long[][] end = registersNow();
    int n = 0;
    for (int cpu = 0; cpu < end.length; cpu++) {
      for (int reg = 0; reg < end[cpu].length; reg++) {
        n += end[cpu][reg] != startOf(cpu, reg) ? 1 : 0;
      }
    }
    for (int p = 0; p < pages; p++) {
      for (long x : pageWords[p]) {
        n += x != 0 ? 1 : 0;
      }
    }
    int[] s = new int[n];
    long[] w = new long[n];
    long[] x = new long[n];
    int k = 0;
    for (int p = 0; p < pages; p++) {
      long[] words = pageWords[p];
      for (int i = 0; i < WORDS; i++) {
        if (words[i] != 0) {
          s[k] = pageSpace[p];
          w[k] = pageBase[p] + 8L * i;
          x[k++] = words[i];
        }
      }
      Arrays.fill(words, 0);
    }
    pages = 0;
    for (int cpu = 0; cpu < end.length; cpu++) {
      for (int reg = 0; reg < end[cpu].length; reg++) {
        long d = end[cpu][reg] ^ startOf(cpu, reg);
        if (d != 0) {
          s[k] = XorMap.REGISTER;
          w[k] = ((long) cpu << 16) | reg;
          x[k++] = d;
        }
      }
    }
    restart();
    return XorMap.of(s, w, x);
  }

  /** What every CPU's registers hold now. */
  private long[][] registersNow() {
    long[][] now = new long[sink.cpus()][];
    for (int cpu = 0; cpu < now.length; cpu++) {
      now[cpu] = new long[sink.registers(cpu)];
      for (int reg = 0; reg < now[cpu].length; reg++) {
        now[cpu][reg] = sink.value(cpu, reg);
      }
    }
    return now;
  }

  /** A register's value when the block began (0 for a CPU that did not exist then). */
  private long startOf(int cpu, int reg) {
    return cpu < start.length && reg < start[cpu].length ? start[cpu][reg] : 0;
  }

  /**
   * Starts an empty, valid block. The page arrays of an invalid one are cleared first; beyond
   * {@link #KEPT_PAGES} they are let go, so one block that touched many pages (a fork's copies)
   * does not keep their arrays for the rest of the session.
   */
  void restart() {
    for (int p = 0; p < pages; p++) {
      Arrays.fill(pageWords[p], 0);
    }
    for (int p = KEPT_PAGES; p < pageWords.length && pageWords[p] != null; p++) {
      pageWords[p] = null;
    }
    start = registersNow();
    Arrays.fill(table, 0);
    pages = 0;
    lastSpace = Integer.MIN_VALUE;
    lastBase = -1;
    lastWords = null;
    valid = true;
  }
}
