package kstack.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian values of 1, 2, 4 or 8 bytes inside a chunk, read and written a word at a time
 * rather than a byte at a time (every modelled arch is little-endian: x86, and arm64 as Linux runs
 * it).
 */
final class Bytes {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private Bytes() {}

  /** The index of the last non-zero byte of b[from..from + n), or from - 1. */
  static int lastNonZero(byte[] b, int from, int n) {
    int i = from + n - 1;
    while (i >= from && b[i] == 0) {
      i--;
    }
    return i;
  }

  /** The unsigned value of the size bytes at c[off..]. */
  static long get(byte[] c, int off, int size) {
    return switch (size) {
      case 8 -> (long) LONG.get(c, off);
      case 4 -> (int) INT.get(c, off) & 0xFFFF_FFFFL;
      case 2 -> (short) SHORT.get(c, off) & 0xFFFFL;
      case 1 -> c[off] & 0xFFL;
      default -> slowGet(c, off, size);
    };
  }

  /** Stores the low size bytes of value at c[off..]. */
  static void put(byte[] c, int off, int size, long value) {
    switch (size) {
      case 8 -> LONG.set(c, off, value);
      case 4 -> INT.set(c, off, (int) value);
      case 2 -> SHORT.set(c, off, (short) value);
      case 1 -> c[off] = (byte) value;
      default -> {
        for (int i = 0; i < size; i++) {
          c[off + i] = (byte) (value >>> (8 * i));
        }
      }
    }
  }

  private static long slowGet(byte[] c, int off, int size) {
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = (v << 8) | (c[off + i] & 0xFF);
    }
    return v;
  }
}
