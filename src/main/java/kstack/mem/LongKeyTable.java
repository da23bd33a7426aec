package kstack.mem;

import java.util.Arrays;

/**
 * The keys of an open-addressing table of long keys, with linear probing and backward-shift
 * deletion; a subclass keeps the values in an array of its own, index for index, so that neither
 * a key nor a value is boxed ({@link LongObjectMap}, {@link LongLongMap}).
 */
abstract class LongKeyTable {
  static final long EMPTY = Long.MIN_VALUE + 0x5A5A; // never a chunk index, an address or a slot
  long[] keys;
  int size;
  private int mask;

  /** A table with room for expected keys before it grows. */
  LongKeyTable(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    mask = cap - 1;
  }

  LongKeyTable(LongKeyTable from) {
    keys = from.keys.clone();
    size = from.size;
    mask = from.mask;
  }

  private static int hash(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** The index holding key, or the empty index where it would go. */
  final int indexOf(long key) {
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key || k == EMPTY) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** The index holding key, taken for it if it was not there (the table grown first if full). */
  final int claim(long key) {
    if ((size + 1) * 4 > keys.length * 3) {
      grow();
    }
    int i = indexOf(key);
    if (keys[i] == EMPTY) {
      keys[i] = key;
      size++;
    }
    return i;
  }

  /** Removes key if present: the entries behind it in its probe chain move up. */
  final void removeKey(long key) {
    int i = indexOf(key);
    if (keys[i] == EMPTY) {
      return;
    }
    size--;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == EMPTY) {
        break;
      }
      int home = hash(keys[j]) & mask;
      boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!between) {
        keys[i] = keys[j];
        moveValue(j, i);
        i = j;
      }
    }
    keys[i] = EMPTY;
    clearValue(i);
  }

  /** The value at index from now belongs at index to. */
  abstract void moveValue(int from, int to);

  abstract void clearValue(int i);

  /** Makes a new value array of capacity entries; returns the old one. */
  abstract Object newValues(int capacity);

  /** Copies the value at index from of the old value array to index to of the new one. */
  abstract void copyValue(Object old, int from, int to);

  private void grow() {
    long[] oldKeys = keys;
    Object oldValues = newValues(oldKeys.length * 2);
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int j = indexOf(oldKeys[i]);
        keys[j] = oldKeys[i];
        copyValue(oldValues, i, j);
      }
    }
  }

  public int size() {
    return size;
  }
}
