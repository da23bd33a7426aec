package kstack.mem;

/**
 * An open-addressing map from long keys to objects, without boxing. The sparse memory keeps one entry
 * per touched 256-byte chunk, so a million idle tasks mean a few million entries: boxed
 * {@code HashMap<Long, byte[]>} entries would cost three times as much heap. The kernel's per-process
 * bookkeeping (an mm's address space) is keyed the same way.
 */
public final class LongObjectMap<V> extends LongKeyTable {
  private Object[] values;

  public LongObjectMap(int expected) {
    super(expected);
    values = new Object[keys.length];
  }

  private LongObjectMap(LongObjectMap<V> from) {
    super(from);
    values = from.values.clone();
  }

  /** A map with the same entries (the values themselves are shared). */
  public LongObjectMap<V> copy() {
    return new LongObjectMap<>(this);
  }

  @SuppressWarnings("unchecked")
  public V get(long key) {
    return (V) values[indexOf(key)];
  }

  public void put(long key, V value) {
    int i = claim(key); // first: it may grow the table, values included
    values[i] = value;
  }

  public void remove(long key) {
    removeKey(key);
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

  @Override
  void moveValue(int from, int to) {
    values[to] = values[from];
  }

  @Override
  void clearValue(int i) {
    values[i] = null;
  }

  @Override
  Object newValues(int capacity) {
    Object[] old = values;
    values = new Object[capacity];
    return old;
  }

  @Override
  void copyValue(Object old, int from, int to) {
    values[to] = ((Object[]) old)[from];
  }
}
