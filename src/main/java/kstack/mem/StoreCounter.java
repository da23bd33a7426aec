package kstack.mem;

/**
 * A count of the changes to a few bytes of one store, and to which regions it maps: what a test
 * that reads those bytes (a task's state) and asks whether a region still holds them needs to
 * know to tell that its last answer still stands, so it reads nothing on a step that changed
 * neither ({@link Memory#countStores}). Every change counts, whatever makes it: a step's store, a
 * debugger's {@code set}, a memcpy or memset over the bytes, the timeline undoing or redoing a
 * store, a region mapped or unmapped.
 */
public final class StoreCounter {
  private final long lo;
  private final long hi;
  private long changes;

  /** Counts the changes of the size bytes at addr. */
  public StoreCounter(long addr, int size) {
    this.lo = addr;
    this.hi = addr + size;
  }

  /** How many changes there have been since the counter was made (only ever grows). */
  public long changes() {
    return changes;
  }

  /** A store into [addr, addr + size): counted when it overlaps the counted bytes. */
  void stored(long addr, long size) {
    if (Long.compareUnsigned(addr + size, lo) > 0 && Long.compareUnsigned(addr, hi) < 0) {
      changes++;
    }
  }

  /** A region was mapped or unmapped. */
  void regionsChanged() {
    changes++;
  }
}
