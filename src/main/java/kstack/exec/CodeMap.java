package kstack.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds the routine and step at an address: the simulator's instruction fetch. */
public final class CodeMap {
  private final List<Routine> routines = new ArrayList<>();
  private long[] bases = new long[0];
  private Routine[] sorted = new Routine[0];
  /** The routines of recently fetched addresses, direct-mapped by address: most steps hit. */
  private final Routine[] recent = new Routine[RECENT];
  private static final int RECENT = 64;

  public void add(Routine r) {
    java.util.Arrays.fill(recent, null);
    routines.add(r);
    routines.sort(Comparator.comparing(Routine::base, Long::compareUnsigned));
    sorted = routines.toArray(new Routine[0]);
    bases = new long[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      bases[i] = sorted[i].base();
    }
  }

  /** The routine whose range holds addr, or null. */
  public Routine at(long addr) {
    int slot = (int) (addr >>> 6) & (RECENT - 1);
    Routine hit = recent[slot];
    if (hit != null && hit.contains(addr)) {
      return hit;
    }
    Routine r = search(addr);
    if (r != null) {
      recent[slot] = r;
    }
    return r;
  }

  private Routine search(long addr) {
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
