package kstack.mem;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to objects, without boxing. The sparse memory keeps one entry
 * per touched 256-byte chunk, so a million idle tasks mean a few million entries: boxed
 * {@code HashMap<Long, byte[]>} entries would cost three times as much heap. The kernel's per-task
 * bookkeeping (a task's run-queue place, an mm's address space) is keyed the same way.
 */
public final class LongObjectMap<V> {
  private static final long EMPTY = Long.MIN_VALUE + 0x5A5A; // never a chunk index
  private long[] keys;
  private Object[] values;
  private int size;
  private int mask;

  public LongObjectMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new Object[cap];
    mask = cap - 1;
  }

  private LongObjectMap(LongObjectMap<V> from) {
    keys = from.keys.clone();
    values = from.values.clone();
    size = from.size;
    mask = from.mask;
  }

  /** A map with the same entries (the values themselves are shared). */
  public LongObjectMap<V> copy() {
    return new LongObjectMap<>(this);
  }

  private static int hash(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  @SuppressWarnings("unchecked")
  public V get(long key) {
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return (V) values[i];
      }
      if (k == EMPTY) {
        return null;
      }
      i = (i + 1) & mask;
    }
  }

  public void put(long key, V value) {
    if ((size + 1) * 4 > keys.length * 3) {
      grow();
    }
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes with backward-shift deletion so that probe chains stay intact. */
  public void remove(long key) {
    int i = hash(key) & mask;
    while (keys[i] != key) {
      if (keys[i] == EMPTY) {
        return;
      }
      i = (i + 1) & mask;
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
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    values[i] = null;
  }

  public void forEach(java.util.function.BiConsumer<Long, V> action) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        @SuppressWarnings("unchecked")
        V v = (V) values[i];
        action.accept(keys[i], v);
      }
    }
  }

  public int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new Object[oldKeys.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v);
      }
    }
  }
}
