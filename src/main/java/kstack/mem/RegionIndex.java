package kstack.mem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The regions of one store, sorted by start address, in blocks of at most {@value #BLOCK}: finding
 * the region at or below an address is two binary searches, and mapping or unmapping one shifts
 * within one block, so a kernel of millions of task stacks and task_structs maps a new one as fast
 * as its first, at 12 bytes of index per region rather than a tree entry and a boxed key.
 *
 * <p>Shared by fork's copy like the chunks: once frozen, a store that maps or unmaps first takes
 * its own copy (a user space has a handful of regions; the kernel's index is never shared).
 */
final class RegionIndex {
  private static final int BLOCK = 256;
  /** Per block: the start addresses with the sign bit flipped (signed order is address order). */
  private long[][] keys = {new long[4]};
  private Region[][] values = {new Region[4]};
  private int[] counts = new int[1];
  private int blocks = 1;
  private int size;
  private boolean frozen;

  RegionIndex() {}

  private RegionIndex(RegionIndex from) {
    keys = new long[from.blocks][];
    values = new Region[from.blocks][];
    for (int b = 0; b < from.blocks; b++) {
      keys[b] = from.keys[b].clone();
      values[b] = from.values[b].clone();
    }
    counts = Arrays.copyOf(from.counts, from.blocks);
    blocks = from.blocks;
    size = from.size;
  }

  boolean isFrozen() {
    return frozen;
  }

  void freeze() {
    frozen = true;
  }

  /** A writable index with this frozen one's regions. */
  RegionIndex thaw() {
    return new RegionIndex(this);
  }

  private static long key(long addr) {
    return addr ^ Long.MIN_VALUE;
  }

  /** The block whose first key is the greatest at or below k (block 0 when none is). */
  private int blockOf(long k) {
    int lo = 1;
    int hi = blocks - 1;
    int found = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (keys[mid][0] <= k) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Index in block b of the greatest key at or below k, or -1. */
  private int floorIn(int b, long k) {
    int lo = 0;
    int hi = counts[b] - 1;
    int found = -1;
    long[] ks = keys[b];
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (ks[mid] <= k) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Maps r by its start, replacing a region with the same start; returns the one replaced, or null. */
  Region put(Region r) {
    long k = key(r.start());
    int b = blockOf(k);
    int i = floorIn(b, k);
    if (i >= 0 && keys[b][i] == k) {
      Region old = values[b][i];
      values[b][i] = r;
      return old;
    }
    insert(b, i + 1, k, r);
    size++;
    if (counts[b] == BLOCK) {
      // an allocator maps upwards: a block filled at its end keeps its regions and the next one
      // starts the new block, so that blocks stay full; else the two halves share them
      split(b, i + 1 == BLOCK - 1 ? BLOCK - 1 : BLOCK / 2);
    }
    return null;
  }

  private void insert(int b, int at, long k, Region r) {
    int n = counts[b];
    if (n == keys[b].length) {
      keys[b] = Arrays.copyOf(keys[b], Math.min(BLOCK, n * 2));
      values[b] = Arrays.copyOf(values[b], Math.min(BLOCK, n * 2));
    }
    System.arraycopy(keys[b], at, keys[b], at + 1, n - at);
    System.arraycopy(values[b], at, values[b], at + 1, n - at);
    keys[b][at] = k;
    values[b][at] = r;
    counts[b] = n + 1;
  }

  /** Splits a full block: its first keep regions stay, the rest move to a new block after it. */
  private void split(int b, int keep) {
    if (blocks == keys.length) {
      keys = Arrays.copyOf(keys, blocks * 2);
      values = Arrays.copyOf(values, blocks * 2);
      counts = Arrays.copyOf(counts, blocks * 2);
    }
    System.arraycopy(keys, b + 1, keys, b + 2, blocks - b - 1);
    System.arraycopy(values, b + 1, values, b + 2, blocks - b - 1);
    System.arraycopy(counts, b + 1, counts, b + 2, blocks - b - 1);
    keys[b + 1] = Arrays.copyOfRange(keys[b], keep, BLOCK);
    values[b + 1] = Arrays.copyOfRange(values[b], keep, BLOCK);
    counts[b + 1] = BLOCK - keep;
    Arrays.fill(values[b], keep, BLOCK, null);
    counts[b] = keep;
    blocks++;
  }

  void remove(Region r) {
    long k = key(r.start());
    int b = blockOf(k);
    int i = floorIn(b, k);
    if (i < 0 || keys[b][i] != k) {
      return;
    }
    int n = counts[b];
    System.arraycopy(keys[b], i + 1, keys[b], i, n - i - 1);
    System.arraycopy(values[b], i + 1, values[b], i, n - i - 1);
    values[b][n - 1] = null;
    counts[b] = n - 1;
    size--;
    if (counts[b] == 0 && blocks > 1) {
      System.arraycopy(keys, b + 1, keys, b, blocks - b - 1);
      System.arraycopy(values, b + 1, values, b, blocks - b - 1);
      System.arraycopy(counts, b + 1, counts, b, blocks - b - 1);
      blocks--;
      keys[blocks] = null;
      values[blocks] = null;
    }
  }

  /** The region starting at or below addr, or null. */
  Region atOrBelow(long addr) {
    long k = key(addr);
    int b = blockOf(k);
    int i = floorIn(b, k);
    return i < 0 ? null : values[b][i];
  }

  List<Region> all() {
    List<Region> out = new ArrayList<>(size);
    for (int b = 0; b < blocks; b++) {
      out.addAll(Arrays.asList(values[b]).subList(0, counts[b]));
    }
    return out;
  }

  boolean isEmpty() {
    return size == 0;
  }
}
