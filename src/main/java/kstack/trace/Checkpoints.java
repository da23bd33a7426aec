package kstack.trace;

import java.util.Arrays;

/**
 * The recorded history cut into blocks: boundary i is a moment (the end of a step, or the end of
 * what was recorded) with everything needed to stand there (journal position, the newest store's
 * address, how many bookkeeping changes and events lie below it), and block i, between boundaries
 * i and i+1, keeps its combined difference ({@link XorMap}). Seeking moves between boundaries a
 * block at a time and walks the journal only inside the last block. Boundaries below {@link #fine}
 * have lost their journal bytes to the history budget: their blocks are crossed whole only.
 */
final class Checkpoints {
  /** Steps per block while recording: fine undo inside a block stays well under a millisecond. */
  static final int DEFAULT_INTERVAL = 4096;
  private long[] step = new long[16];
  private int[] pos = new int[16];
  private long[] lastAddr = new long[16];
  private int[] changes = new int[16];
  private int[] events = new int[16];
  private XorMap[] block = new XorMap[16];
  private int count;
  /** The first boundary whose journal bytes are kept: steps from here on can be undone one by one. */
  int fine;
  /** Heap bytes of the blocks' difference maps. */
  private long mapBytes;

  /** Starts over with one boundary: where recording began. */
  void reset(long s, int p, long addr, int ch, int ev) {
    count = 0;
    fine = 0;
    mapBytes = 0;
    Arrays.fill(block, null);
    add(s, p, addr, ch, ev, null);
  }

  /** Appends a boundary above the last one; below is the block between them (null for the first). */
  void add(long s, int p, long addr, int ch, int ev, XorMap below) {
    if (count == step.length) {
      int n = count * 2;
      step = Arrays.copyOf(step, n);
      pos = Arrays.copyOf(pos, n);
      lastAddr = Arrays.copyOf(lastAddr, n);
      changes = Arrays.copyOf(changes, n);
      events = Arrays.copyOf(events, n);
      block = Arrays.copyOf(block, n);
    }
    step[count] = s;
    pos[count] = p;
    lastAddr[count] = addr;
    changes[count] = ch;
    events[count] = ev;
    if (count > 0) {
      block[count - 1] = below;
      mapBytes += below.bytes();
    }
    count++;
  }

  /** Keeps boundaries 0..i: the blocks above are a discarded future. */
  void dropAbove(int i) {
    for (int b = i; b < count - 1; b++) {
      mapBytes -= block[b].bytes();
      block[b] = null;
    }
    count = i + 1;
    fine = Math.min(fine, i);
  }

  /**
   * Merges the pair of adjacent thinned blocks at i and i+1 into one (boundary i+1 goes): the
   * thinned part's granularity coarsens, its reach stays.
   */
  void merge(int i) {
    XorMap m = XorMap.merged(block[i], block[i + 1]);
    mapBytes += m.bytes() - block[i].bytes() - block[i + 1].bytes();
    block[i] = m;
    int tail = count - (i + 2);
    System.arraycopy(step, i + 2, step, i + 1, tail);
    System.arraycopy(pos, i + 2, pos, i + 1, tail);
    System.arraycopy(lastAddr, i + 2, lastAddr, i + 1, tail);
    System.arraycopy(changes, i + 2, changes, i + 1, tail);
    System.arraycopy(events, i + 2, events, i + 1, tail);
    System.arraycopy(block, i + 2, block, i + 1, tail);
    count--;
    block[count] = null;
    fine--;
  }

  int count() {
    return count;
  }

  int last() {
    return count - 1;
  }

  long step(int i) {
    return step[i];
  }

  int pos(int i) {
    return pos[i];
  }

  long lastAddr(int i) {
    return lastAddr[i];
  }

  int changes(int i) {
    return changes[i];
  }

  int events(int i) {
    return events[i];
  }

  XorMap block(int i) {
    return block[i];
  }

  long mapBytes() {
    return mapBytes;
  }

  /** The first boundary at or after step s (the last one if none). */
  int atOrAbove(long s) {
    int i = Arrays.binarySearch(step, 0, count, s);
    if (i < 0) {
      return Math.min(-i - 1, count - 1);
    }
    while (i > 0 && step[i - 1] == s) {
      i--;
    }
    return i;
  }

  /** The last boundary at or below journal position p. */
  int atOrBelowPos(int p) {
    int i = Arrays.binarySearch(pos, 0, count, p);
    if (i < 0) {
      return -i - 2;
    }
    while (i + 1 < count && pos[i + 1] == p) {
      i++;
    }
    return i;
  }
}
