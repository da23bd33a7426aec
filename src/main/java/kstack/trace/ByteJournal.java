package kstack.trace;

import java.util.Arrays;

/**
 * A stack of bytes that grows in fixed segments and is read back from its top: the timeline's
 * storage. Growth allocates one new segment and never copies what is there (a doubling array copies
 * the whole history each time and leaves the old one as garbage). Numbers are written as backward
 * varints: seven bits a byte, the most significant group first, every byte but the first with its
 * top bit set, so that reading from the top finds the least significant group first and stops at
 * the byte whose top bit is clear.
 */
final class ByteJournal {
  static final int SEGMENT_SHIFT = 20;
  private static final int SEGMENT = 1 << SEGMENT_SHIFT;
  private static final int MASK = SEGMENT - 1;
  /** Positions are ints: the last whole segment below 2^31. */
  static final int MAX_SEGMENTS = Integer.MAX_VALUE >>> SEGMENT_SHIFT;
  private byte[][] segments = new byte[4][];
  private int size;

  /** The number of bytes held: the position of the top. */
  int size() {
    return size;
  }

  void push(int b) {
    int seg = size >>> SEGMENT_SHIFT;
    if (seg < segments.length && segments[seg] != null) {
      segments[seg][size & MASK] = (byte) b;
      size++;
      return;
    }
    grow(b);
  }

  private void grow(int b) {
    int seg = size >>> SEGMENT_SHIFT;
    if (seg == segments.length) {
      segments = Arrays.copyOf(segments, seg * 2);
    }
    byte[] s = segments[seg];
    if (s == null) {
      if (seg >= MAX_SEGMENTS) {
        throw new IllegalStateException("the recorded history is full (" + MAX_SEGMENTS
            + " MiB of journal)");
      }
      s = new byte[SEGMENT];
      segments[seg] = s;
    }
    s[size & MASK] = (byte) b;
    size++;
  }

  /** Appends v as a backward varint (1 to 10 bytes; small unsigned values take one). */
  void pushVarint(long v) {
    byte[] s = room(10);
    if (s == null) { // a new segment begins within: byte by byte
      int groups = groups(v);
      for (int g = groups - 1; g >= 0; g--) {
        int bits = (int) (v >>> (7 * g)) & 0x7F;
        push(g == groups - 1 ? bits : bits | 0x80);
      }
      return;
    }
    size += put(s, size & MASK, v);
  }

  /**
   * Appends one entry of two numbers and a header byte, with one bounds check where the top
   * segment has room (the common case: a register write, a store into the kernel's space).
   */
  void pushEntry(long a, long b, int header) {
    byte[] s = room(21);
    if (s == null) {
      pushVarint(a);
      pushVarint(b);
      push(header);
      return;
    }
    int off = size & MASK;
    int at = off + put(s, off, a);
    at += put(s, at, b);
    s[at++] = (byte) header;
    size += at - off;
  }

  /** An entry of one number and a header byte (a register write whose header names it). */
  void pushEntry(long a, int header) {
    byte[] s = room(11);
    if (s == null) {
      pushVarint(a);
      push(header);
      return;
    }
    int off = size & MASK;
    int at = off + put(s, off, a);
    s[at++] = (byte) header;
    size += at - off;
  }

  /** An entry of three numbers and a header byte (a store into a space other than the kernel's). */
  void pushEntry(long a, long b, long c, int header) {
    pushVarint(a);
    pushEntry(b, c, header);
  }

  /** The top segment when it has room for n more bytes, else null. */
  private byte[] room(int n) {
    int seg = size >>> SEGMENT_SHIFT;
    if (seg >= segments.length || (size & MASK) + n > SEGMENT) {
      return null;
    }
    return segments[seg];
  }

  private static int groups(long v) {
    return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
  }

  /** Writes v as a backward varint at s[off]; returns its length. */
  private static int put(byte[] s, int off, long v) {
    if (v >>> 7 == 0) { // most differences: a register moved by a few bytes
      s[off] = (byte) v;
      return 1;
    }
    if (v >>> 14 == 0) {
      s[off] = (byte) (v >>> 7);
      s[off + 1] = (byte) (v | 0x80);
      return 2;
    }
    int groups = groups(v);
    s[off] = (byte) ((v >>> (7 * (groups - 1))) & 0x7F);
    for (int g = groups - 2; g >= 0; g--) {
      s[off + groups - 1 - g] = (byte) ((v >>> (7 * g)) | 0x80);
    }
    return groups;
  }

  /** The byte just below position p. */
  int byteBelow(int p) {
    return segments[(p - 1) >>> SEGMENT_SHIFT][(p - 1) & MASK] & 0xFF;
  }

  /** Removes the top byte and returns it. */
  int pop() {
    return byteBelow(size--);
  }

  /** Removes the top backward varint and returns its value. */
  long popVarint() {
    long v = varintBelow(size);
    size = varintStart;
    return v;
  }

  /** Where the varint {@link #varintBelow} read last begins (a scratch result, no allocation). */
  private int varintStart;

  /** The backward varint whose last byte lies just below position p. */
  private long varintBelow(int p) {
    long v = 0;
    int shift = 0;
    while (true) {
      int b = byteBelow(p--);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        varintStart = p;
        return v;
      }
      shift += 7;
    }
  }

  /**
   * Moves the top to position p, at or below the top of what was written, keeping the bytes above:
   * the recorded future that a seek forward moves the top back up over.
   */
  void moveTo(int p) {
    size = p;
  }

  /** Frees the segments wholly below position p: the history there is thinned and never read. */
  void freeBelow(int p) {
    for (int seg = 0; seg < (p >>> SEGMENT_SHIFT); seg++) {
      segments[seg] = null;
    }
  }

  /** Drops everything above position p (undo has consumed it); segments above are freed. */
  void truncate(int p) {
    size = p;
    for (int seg = (p >>> SEGMENT_SHIFT) + 1; seg < segments.length; seg++) {
      segments[seg] = null;
    }
  }

  /** A reader from position p downwards, leaving the journal as it is. */
  Reader readerAt(int p) {
    return new Reader(p);
  }

  /** Heap bytes held by the segments. */
  long footprintBytes() {
    long n = 0;
    for (byte[] s : segments) {
      n += s == null ? 0 : s.length;
    }
    return n;
  }

  /** Reads entries from a position downwards without removing them. */
  final class Reader {
    private int p;

    private Reader(int p) {
      this.p = p;
    }

    int position() {
      return p;
    }

    int next() {
      return byteBelow(p--);
    }

    long nextVarint() {
      long v = varintBelow(p);
      p = varintStart;
      return v;
    }
  }
}
