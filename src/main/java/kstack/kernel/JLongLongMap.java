package kstack.kernel;

import kstack.mem.LongLongMap;
import kstack.trace.Timeline;

/**
 * Kernel bookkeeping from an address to an address (a stack's owner task, a page-table root's mm),
 * 0 meaning none, whose every change is recorded on the timeline: {@link JLongMap} without a boxed
 * value, since there is one entry per task and a machine may hold millions.
 */
final class JLongLongMap {
  private final Timeline timeline;
  private final LongLongMap map = new LongLongMap();
  /** Counts every change, done or undone: a cache of a lookup is valid while this stays the same. */
  private long version;

  JLongLongMap(Timeline timeline) {
    this.timeline = timeline;
  }

  /** The value under key, or 0. */
  long get(long key) {
    return map.get(key);
  }

  /** Maps key to value (0: removes it); recorded. */
  void put(long key, long value) {
    long old = map.get(key);
    set(key, value);
    if (timeline.isRecording()) {
      timeline.recordChange(() -> set(key, old), () -> set(key, value));
    }
  }

  void remove(long key) {
    if (map.get(key) != 0) {
      put(key, 0);
    }
  }

  private void set(long key, long value) {
    version++;
    map.put(key, value);
  }

  /** Grows with every change of the map, including undone ones; never repeats. */
  long version() {
    return version;
  }
}
