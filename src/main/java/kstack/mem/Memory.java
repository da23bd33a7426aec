package kstack.mem;

import java.util.List;

/**
 * The simulated address space: named regions over a sparse, little-endian byte store.
 *
 * <p>Bytes live in 256-byte chunks that exist only once something non-zero was written there, so an
 * idle task's 16 KiB stack costs the few chunks its frames and its end-of-stack magic touch; a
 * chunk holds its bytes only up to the last one written non-zero (a multiple of 32 bytes), since a
 * task's end-of-stack magic or the first members of its task_struct fill only the start of one. Every
 * store goes through {@link Recorder}, the one path that lets a timeline undo it.
 */
public final class Memory {
  static final int CHUNK_SHIFT = 8;
  static final int CHUNK = 1 << CHUNK_SHIFT;

  /** Receives every change of a byte range, before it is applied. */
  public interface Recorder {
    void memoryChanged(Memory space, long addr, int size, long oldValue, long newValue);

    void memoryChanged(Memory space, long addr, byte[] oldBytes, byte[] newBytes);
  }

  private final int id;
  private final String label;
  private final long labelAddr;

  /**
   * @param id    distinguishes this store in recorded history (0 is the kernel's)
   * @param label what the store is, for messages: "kernel", "mm of pid 7"
   */
  public Memory(int id, String label) {
    this(id, label, 0);
  }

  /**
   * A store named label followed by addr in hex ("mm 0x" and an mm_struct's address), the name
   * made only when a message needs it: a machine may hold millions of stores.
   */
  public Memory(int id, String label, long addr) {
    this.id = id;
    this.label = label;
    this.labelAddr = addr;
  }

  public int id() {
    return id;
  }

  public String label() {
    return labelAddr == 0 ? label : label + Long.toHexString(labelAddr);
  }

  private Chunks chunks = new Chunks();
  private RegionIndex regions = new RegionIndex();
  /**
   * The region of a recently touched page, direct-mapped (a TLB in front of the region index);
   * made on first use, so a store nobody reads (an idle child's) costs none.
   */
  private RegionCache regionCache;
  /**
   * The regions the last two checks that missed found (never a guard): a step's accesses go to
   * its stack and to one other region (the task, the per-CPU area) almost every time.
   */
  private Region hot;
  private Region hotBefore;
  private Recorder recorder;
  private StoreWatch watch;
  private long watchLo;
  private long watchHi;
  private StoreCounter counter;

  public void setRecorder(Recorder recorder) {
    this.recorder = recorder;
  }

  /** Watches the stores into [lo, hi) (unsigned); a null watch watches nothing. */
  public void setStoreWatch(StoreWatch watch, long lo, long hi) {
    this.watch = watch;
    this.watchLo = lo;
    this.watchHi = hi;
  }

  /** Counts from now on the changes counter watches (null: none); one counter at a time. */
  public void countStores(StoreCounter counter) {
    this.counter = counter;
  }

  /** The counter {@link #countStores} attached last, or null. */
  public StoreCounter storeCounter() {
    return counter;
  }

  private boolean watches(long addr, int size) {
    return Long.compareUnsigned(addr + size, watchLo) > 0 && Long.compareUnsigned(addr, watchHi) < 0;
  }

  /**
   * Gives an empty store this one's regions and bytes (fork's copy of a user space), copy-on-write:
   * both share them until one of them writes, which then copies only what it changes.
   */
  public void copyInto(Memory dst) {
    if (dst.chunks.size() != 0 || !dst.regions.isEmpty()) {
      throw new IllegalStateException(dst.label() + " is not empty");
    }
    chunks.freeze();
    regions.freeze();
    dst.chunks = chunks;
    dst.regions = regions;
    dst.regionCache = null;
    dst.hot = null;
    dst.hotBefore = null;
  }

  /** The chunks, made this store's own first if they are shared (before any store). */
  private Chunks ownChunks() {
    if (chunks.isFrozen()) {
      chunks = chunks.thaw();
    }
    return chunks;
  }

  private RegionIndex ownRegions() {
    if (regions.isFrozen()) {
      regions = regions.thaw();
    }
    return regions;
  }

  // ---- regions -------------------------------------------------------------------------------

  /** Maps a region; it must not overlap one already mapped. */
  public void map(Region r) {
    Region below = regionAtOrBelow(r.end() - 1);
    if (below != null && Long.compareUnsigned(below.end(), r.start()) > 0) {
      throw new IllegalStateException("region " + r.name() + " overlaps " + below.name());
    }
    // no flush: the region overlaps none mapped, so every cached page still holds its region
    Region replaced = ownRegions().put(r);
    RegionCache.forget(regionCache, replaced);
    regionsChanged(replaced);
  }

  /** Region gone (or null) no longer holds its addresses; the goal reading the map is told. */
  private void regionsChanged(Region gone) {
    if (gone != null && (hot == gone || hotBefore == gone)) {
      hot = null;
      hotBefore = null;
    }
    if (counter != null) {
      counter.regionsChanged();
    }
  }

  public void unmap(Region r) {
    ownRegions().remove(r);
    RegionCache.forget(regionCache, r);
    regionsChanged(r);
  }

  private Region regionAtOrBelow(long addr) {
    return regions.atOrBelow(addr);
  }

  /** The region holding addr, guard regions included, or null. */
  public Region regionAt(long addr) {
    if (regionCache == null) {
      regionCache = new RegionCache();
    }
    Region hit = regionCache.get(addr);
    if (hit != null) {
      return hit;
    }
    Region r = regionAtOrBelow(addr);
    if (r != null && r.contains(addr)) {
      regionCache.put(addr, r);
      return r;
    }
    return null;
  }

  public List<Region> regions() {
    return regions.all();
  }

  public boolean isMapped(long addr) {
    Region r = regionAt(addr);
    return r != null && !r.isGuard();
  }

  private void check(long addr, int size, boolean write) {
    Region h = hot;
    if (h != null && h.holds(addr, size)) {
      return;
    }
    Region h2 = hotBefore;
    if (h2 != null && h2.holds(addr, size)) {
      return;
    }
    Region r = regionAt(addr);
    if (r == null || r.isGuard()) {
      throw new MemoryFault(addr, write, r);
    }
    hotBefore = h;
    hot = r;
    long last = addr + size - 1;
    if (!r.contains(last)) {
      check(r.end(), (int) (last - r.end() + 1), write);
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** Reads size (1, 2, 4 or 8) bytes at addr as an unsigned little-endian value. */
  public long read(long addr, int size) {
    check(addr, size, false);
    return peek(addr, size);
  }

  public long read64(long addr) {
    return read(addr, 8);
  }

  public byte[] readBytes(long addr, int len) {
    if (len > 0) {
      check(addr, len, false);
    }
    byte[] out = new byte[len];
    peekBytes(addr, out);
    return out;
  }

  /** Reads a NUL-terminated string of at most max bytes. */
  public String readCString(long addr, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < max; i++) {
      int b = (int) read(addr + i, 1);
      if (b == 0) {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  /**
   * The value at addr without a region check: what the bytes hold even where no region is mapped
   * any more. Only the timeline calls this (its journal keeps each store's old value as a
   * difference from the bytes the store left).
   */
  public long peekRaw(long addr, int size) {
    return peek(addr, size);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Writes the low size bytes of value at addr, little-endian. */
  public void write(long addr, int size, long value) {
    check(addr, size, true);
    long masked = size == 8 ? value : value & ((1L << (size * 8)) - 1);
    long old = peek(addr, size);
    if (old == masked) {
      return;
    }
    if (recorder != null) {
      recorder.memoryChanged(this, addr, size, old, masked);
    }
    if (watch != null && watches(addr, size)) {
      watch.beforeStore(this, addr, size);
    }
    poke(addr, size, masked);
  }

  public void write64(long addr, long value) {
    write(addr, 8, value);
  }

  public void writeBytes(long addr, byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    check(addr, bytes.length, true);
    byte[] old = new byte[bytes.length];
    peekBytes(addr, old);
    if (java.util.Arrays.equals(old, bytes)) {
      return;
    }
    if (recorder != null) {
      recorder.memoryChanged(this, addr, old, bytes.clone());
    }
    if (watch != null && watches(addr, bytes.length)) {
      watch.beforeStore(this, addr, bytes.length);
    }
    pokeBytes(addr, bytes);
  }

  /** Sets len bytes to zero, as memset(p, 0, len) or __GFP_ZERO does. */
  public void zero(long addr, long len) {
    long end = addr + len;
    long a = addr;
    while (Long.compareUnsigned(a, end) < 0) {
      long chunkEnd = ((a >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT;
      int n = (int) (Long.compareUnsigned(chunkEnd, end) < 0 ? chunkEnd - a : end - a);
      if (chunks.get(a >>> CHUNK_SHIFT) != null) {
        writeBytes(a, new byte[n]);
      } else {
        check(a, n, true);
      }
      a += n;
    }
  }

  /** Copies len bytes, as memcpy does (both ranges must be mapped). */
  public void copy(long dst, long src, int len) {
    writeBytes(dst, readBytes(src, len));
  }

  // ---- raw stores, used by the recorder's undo and redo ---------------------------------------

  /** Stores without checks or recording: only a timeline replaying recorded changes calls this. */
  public void poke(long addr, int size, long value) {
    if (counter != null) {
      counter.stored(addr, size);
    }
    ownChunks().poke(addr, size, value);
  }

  public void pokeBytes(long addr, byte[] bytes) {
    if (counter != null) {
      counter.stored(addr, bytes.length);
    }
    ownChunks().pokeBytes(addr, bytes);
  }

  private long peek(long addr, int size) {
    return chunks.peek(addr, size);
  }

  private void peekBytes(long addr, byte[] out) {
    chunks.peekBytes(addr, out);
  }

  /** How many 256-byte chunks hold data: the measure of what the simulated machine costs. */
  public int chunkCount() {
    return chunks.size();
  }

  /**
   * A hash of everything the store holds: its regions and every non-zero byte (a chunk of zeros is
   * the same as no chunk). Two stores with the same contents hash the same whatever the order in
   * which their chunks were made; the reverse-execution tests compare machine states with it.
   */
  public long contentHash() {
    return regions.all().hashCode() + chunks.contentHash();
  }
}
