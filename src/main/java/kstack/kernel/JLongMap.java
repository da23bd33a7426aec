package kstack.kernel;

import kstack.mem.LongObjectMap;
import kstack.trace.Timeline;

/**
 * Kernel bookkeeping keyed by an address (an mm's address space, a page-table root's mm), whose
 * every change is recorded on the timeline: {@link kstack.trace.JMap}'s job without a boxed key and
 * a tree entry per key, since there is one entry per process and a machine may hold millions.
 */
final class JLongMap<V> {
  private final Timeline timeline;
  private final LongObjectMap<V> map = new LongObjectMap<>(16);
  /** Counts every change, done or undone: a cache of a lookup is valid while this stays the same. */
  private long version;

  JLongMap(Timeline timeline) {
    this.timeline = timeline;
  }

  V get(long key) {
    return map.get(key);
  }

  /** Maps key to value (not null); recorded. */
  void put(long key, V value) {
    V old = map.get(key);
    set(key, value);
    if (timeline.isRecording()) {
      timeline.recordChange(() -> set(key, old), () -> set(key, value));
    }
  }

  void remove(long key) {
    V old = map.get(key);
    if (old != null) {
      set(key, null);
      timeline.recordChange(() -> set(key, old), () -> set(key, null));
    }
  }

  private void set(long key, V value) {
    version++;
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  /** Grows with every change of the map, including undone ones; never repeats. */
  long version() {
    return version;
  }

  int size() {
    return map.size();
  }
}
