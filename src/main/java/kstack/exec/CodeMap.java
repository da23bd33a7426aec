package kstack.exec;

import java.util.ArrayList;
import java.util.List;

/** Finds the routine and step at an address: the simulator's instruction fetch. */
public final class CodeMap {
  private final List<Routine> routines = new ArrayList<>();
  private long[] bases = new long[0];
  /** The routines in address order; null after an add until the next search indexes them. */
  private Routine[] sorted = new Routine[0];
  /**
   * The routines of recently fetched addresses, direct-mapped by step address (one slot per step
   * of a 4 KiB window): a hot path's few routines rarely share a slot, so almost every fetch hits
   * without the binary search. {@code last} is the routine of the last fetch, where the next step
   * usually is.
   */
  private final Routine[] recent = new Routine[RECENT];
  private static final int RECENT = 1024;
  private Routine last;

  /**
   * Adds a placed routine. The sorted index is rebuilt by the next lookup that misses the caches
   * (which an add empties), not by every add: the linker adds the image's hundreds of routines one
   * by one, and a sort per add was a tenth of a cold start.
   */
  public void add(Routine r) {
    if (sorted != null) {
      java.util.Arrays.fill(recent, null);
      last = null;
      sorted = null;
    }
    routines.add(r);
  }

  /** The routines in address order, and their bases, for the binary search. */
  private void index() {
    Routine[] s = routines.toArray(new Routine[0]);
    java.util.Arrays.sort(s, (a, b) -> Long.compareUnsigned(a.base(), b.base()));
    long[] b = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      b[i] = s[i].base();
    }
    bases = b;
    sorted = s;
  }

  /** The routine whose range holds addr, or null. */
  public Routine at(long addr) {
    Routine l = last;
    if (l != null && l.contains(addr)) {
      return l;
    }
    int slot = (int) (addr >>> 2) & (RECENT - 1);
    Routine hit = recent[slot];
    if (hit != null && hit.contains(addr)) {
      last = hit;
      return hit;
    }
    Routine r = search(addr);
    if (r != null) {
      recent[slot] = r;
      last = r;
    }
    return r;
  }

  private Routine search(long addr) {
    if (sorted == null) {
      index();
    }
    int lo = 0;
    int hi = bases.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(bases[mid], addr) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || !sorted[found].contains(addr)) {
      return null;
    }
    return sorted[found];
  }

  public List<Routine> all() {
    return List.copyOf(routines);
  }
}
