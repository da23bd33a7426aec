package kstack.mem;

import java.util.Arrays;

/**
 * The bytes of one store, in 256-byte chunks by index, with fork's copy-on-write: a table handed
 * to a second store is frozen (neither store changes it again); the first store to write makes
 * its own table, which borrows the frozen one's chunks until it writes them, as copy_mm shares a
 * parent's pages read-only until a write fault copies one (mm/memory.c's do_wp_page). An idle
 * child of fork therefore costs a reference, not a copy of its parent's user memory.
 *
 * <p>A small direct-mapped cache sits in front of the hash (what a TLB is to a page walk): a step
 * touches a handful of stack, task and per-CPU chunks, so almost every access hits. It is made on
 * first use, so a table nobody reads (an idle child's) costs no cache.
 */
final class Chunks {
  private static final int CACHE = 64;
  /** A chunk's bytes are kept in steps of this many. */
  private static final int GRAIN = 32;
  private final LongObjectMap<byte[]> map;
  /** The frozen table this one was copied from, whose chunks it borrows; null: every chunk is its own. */
  private Chunks borrowedFrom;
  private boolean frozen;
  private long[] tag;
  private byte[][] cache;
  /** Per cache slot: the cached chunk is this table's own, so it may be written in place. */
  private boolean[] own;

  Chunks() {
    this.map = new LongObjectMap<>(2);
  }

  private Chunks(Chunks from) {
    this.map = from.map.copy();
    this.borrowedFrom = from;
  }

  boolean isFrozen() {
    return frozen;
  }

  /** From now on shared by two stores: read-only. */
  void freeze() {
    frozen = true;
    borrowedFrom = null; // a frozen table is never written, so it needs no source any more
    dropCache();
  }

  /**
   * A writable table with this frozen one's contents, borrowing its chunks. The frozen one's
   * cache goes: whoever still reads it (an idle child) makes one again only when it runs.
   */
  Chunks thaw() {
    dropCache();
    return new Chunks(this);
  }

  private void dropCache() {
    tag = null;
    cache = null;
    own = null;
  }

  /** The chunk with index idx, or null while nothing non-zero was written there. */
  byte[] get(long idx) {
    if (cache == null) {
      tag = new long[CACHE];
      cache = new byte[CACHE][];
      own = new boolean[CACHE];
    }
    int slot = (int) idx & (CACHE - 1);
    byte[] c = cache[slot];
    if (c != null && tag[slot] == idx) {
      return c;
    }
    c = map.get(idx);
    if (c != null) {
      tag[slot] = idx;
      cache[slot] = c;
      own[slot] = borrowedFrom == null;
    }
    return c;
  }

  /**
   * The chunk idx ready to be written, or null if there is none: a borrowed chunk is copied first
   * (the write fault's copy). Never called on a frozen table.
   */
  byte[] writable(long idx) {
    byte[] c = get(idx);
    if (c == null) {
      return null;
    }
    int slot = (int) idx & (CACHE - 1);
    if (!own[slot]) {
      if (borrowedFrom.map.get(idx) == c) {
        c = c.clone();
        map.put(idx, c);
        cache[slot] = c;
      }
      own[slot] = true;
    }
    return c;
  }

  /**
   * The chunk idx, this table's own, holding at least its first need bytes: made or grown (to a
   * multiple of {@value #GRAIN} bytes, at most a whole chunk). Never called on a frozen table.
   */
  byte[] room(long idx, int need) {
    byte[] c = writable(idx);
    if (c != null && c.length >= need) {
      return c;
    }
    int len = Math.min(Memory.CHUNK, (need + GRAIN - 1) & -GRAIN);
    byte[] g = c == null ? new byte[len] : Arrays.copyOf(c, len);
    map.put(idx, g);
    int slot = (int) idx & (CACHE - 1);
    tag[slot] = idx;
    cache[slot] = g;
    own[slot] = true;
    return g;
  }

  int size() {
    return map.size();
  }

  /**
   * A hash of the non-zero bytes by chunk index, independent of the order the chunks were made
   * in and of how far each is kept (a chunk of zeros is the same as no chunk).
   */
  long contentHash() {
    long[] h = {0};
    map.forEach((k, v) -> {
      int end = v.length;
      while (end > 0 && v[end - 1] == 0) {
        end--;
      }
      if (end > 0) {
        long x = (k * 0x9E3779B97F4A7C15L) ^ Arrays.hashCode(Arrays.copyOf(v, end));
        h[0] += x ^ (x >>> 29);
      }
    });
    return h[0];
  }

  // ---- the bytes, little-endian, across chunks -------------------------------------------------

  private static final int CHUNK = Memory.CHUNK;
  private static final int SHIFT = Memory.CHUNK_SHIFT;

  /** The size (1 to 8) bytes at addr as an unsigned little-endian value (no chunk: zeros). */
  long peek(long addr, int size) {
    int off = (int) (addr & (CHUNK - 1));
    if (off + size <= CHUNK) {
      byte[] c = get(addr >>> SHIFT);
      if (c == null) {
        return 0;
      }
      if (off + size <= c.length) {
        return Bytes.get(c, off, size);
      }
    }
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = (v << 8) | (peekByte(addr + i) & 0xFF);
    }
    return v;
  }

  private byte peekByte(long addr) {
    byte[] c = get(addr >>> SHIFT);
    int off = (int) (addr & (CHUNK - 1));
    return c == null || off >= c.length ? 0 : c[off];
  }

  /** Copies the bytes at addr into out, a chunk at a time (no chunk: zeros). */
  void peekBytes(long addr, byte[] out) {
    int done = 0;
    while (done < out.length) {
      long a = addr + done;
      int off = (int) (a & (CHUNK - 1));
      int n = Math.min(CHUNK - off, out.length - done);
      byte[] c = get(a >>> SHIFT);
      int m = c == null ? 0 : Math.min(n, c.length - off);
      if (m > 0) {
        System.arraycopy(c, off, out, done, m);
      }
      done += n;
    }
  }

  /** Stores the low size bytes of value at addr. Never called on a frozen table. */
  void poke(long addr, int size, long value) {
    int off = (int) (addr & (CHUNK - 1));
    if (off + size <= CHUNK) {
      long idx = addr >>> SHIFT;
      byte[] c = writable(idx);
      if (c == null || off + size > c.length) {
        if (value == 0 && (c == null || off >= c.length)) {
          return; // the bytes past a chunk's end are zero already
        }
        c = room(idx, off + size);
      }
      Bytes.put(c, off, size, value);
      return;
    }
    for (int i = 0; i < size; i++) {
      pokeByte(addr + i, (byte) (value >>> (8 * i)));
    }
  }

  /** Stores bytes at addr, a chunk at a time. Never called on a frozen table. */
  void pokeBytes(long addr, byte[] bytes) {
    int done = 0;
    while (done < bytes.length) {
      long a = addr + done;
      int off = (int) (a & (CHUNK - 1));
      int n = Math.min(CHUNK - off, bytes.length - done);
      byte[] c = writable(a >>> SHIFT);
      int need = off + Bytes.lastNonZero(bytes, done, n) + 1 - done; // <= off: nothing non-zero
      if (need > off && (c == null || need > c.length)) {
        c = room(a >>> SHIFT, need);
      }
      int m = c == null ? 0 : Math.min(n, c.length - off);
      if (m > 0) {
        System.arraycopy(bytes, done, c, off, m); // what lies past the chunk's end is zero
      }
      done += n;
    }
  }

  private void pokeByte(long addr, byte b) {
    long idx = addr >>> SHIFT;
    byte[] c = writable(idx);
    int off = (int) (addr & (CHUNK - 1));
    if (c == null || off >= c.length) {
      if (b == 0) {
        return;
      }
      c = room(idx, off + 1);
    }
    c[off] = b;
  }
}
