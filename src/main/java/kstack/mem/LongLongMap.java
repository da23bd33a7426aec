package kstack.mem;

/**
 * An open-addressing map from long keys to long values, 0 meaning "no entry", without boxing: the
 * kernel's per-task indexes (a stack's owner, an mm by its page-table root, a task's run-list
 * slot) hold one entry each for millions of tasks, where a boxed value alone would cost 16 bytes
 * more and one more object for the collector to trace.
 */
public final class LongLongMap extends LongKeyTable {
  private long[] values;

  public LongLongMap() {
    super(8);
    values = new long[keys.length];
  }

  /** The value under key, or 0. */
  public long get(long key) {
    return values[indexOf(key)];
  }

  /** Maps key to value; a value of 0 removes the key. */
  public void put(long key, long value) {
    if (value == 0) {
      removeKey(key);
    } else {
      int i = claim(key); // first: it may grow the table, values included
      values[i] = value;
    }
  }

  @Override
  void moveValue(int from, int to) {
    values[to] = values[from];
  }

  @Override
  void clearValue(int i) {
    values[i] = 0;
  }

  @Override
  Object newValues(int capacity) {
    long[] old = values;
    values = new long[capacity];
    return old;
  }

  @Override
  void copyValue(Object old, int from, int to) {
    values[to] = ((long[]) old)[from];
  }
}
