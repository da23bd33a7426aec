package kstack.mem;

/**
 * The regions of recently touched pages, direct-mapped by page number: the simulator's TLB in front
 * of the sorted region map. An entry is only a hint (it is used when its region holds the address),
 * so a page shared by two regions costs a lookup, never a wrong answer; unmapping a region drops
 * its entries, as a TLB flush of its range does.
 */
final class RegionCache {
  private static final int PAGE_SHIFT = 12;
  private static final int SIZE = 256;
  private final long[] page = new long[SIZE];
  private final Region[] region = new Region[SIZE];

  /** The cached region holding addr, or null. */
  Region get(long addr) {
    long p = addr >>> PAGE_SHIFT;
    int slot = (int) p & (SIZE - 1);
    Region r = region[slot];
    if (r != null && page[slot] == p && r.contains(addr)) {
      return r;
    }
    return null;
  }

  void put(long addr, Region r) {
    long p = addr >>> PAGE_SHIFT;
    int slot = (int) p & (SIZE - 1);
    page[slot] = p;
    region[slot] = r;
  }

  /**
   * Drops every entry of the cache (null: none made yet) naming r, a region no longer mapped (null:
   * none), as a TLB flush of its range does. Mapping a region flushes nothing: the kernel maps a
   * task_struct and a stack per fork and keeps its cache.
   */
  static void forget(RegionCache cache, Region r) {
    if (cache == null || r == null) {
      return;
    }
    for (int i = 0; i < SIZE; i++) {
      if (cache.region[i] == r) {
        cache.region[i] = null;
      }
    }
  }
}
