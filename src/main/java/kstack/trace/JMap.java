package kstack.trace;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** A sorted map of kernel bookkeeping (pid to task, fd to file) whose changes are recorded. */
public final class JMap<K extends Comparable<K>, V> {
  private final Timeline timeline;
  private final TreeMap<K, V> map = new TreeMap<>();
  /** Counts every change, done or undone: a cache of a lookup is valid while this stays the same. */
  private long version;

  public JMap(Timeline timeline) {
    this.timeline = timeline;
  }

  public V get(K k) {
    return map.get(k);
  }

  public boolean containsKey(K k) {
    return map.containsKey(k);
  }

  public void put(K k, V v) {
    boolean had = map.containsKey(k);
    V old = map.put(k, v);
    version++;
    timeline.recordChange(() -> {
      version++;
      if (had) {
        map.put(k, old);
      } else {
        map.remove(k);
      }
    }, () -> {
      version++;
      map.put(k, v);
    });
  }

  public void remove(K k) {
    if (!map.containsKey(k)) {
      return;
    }
    V old = map.remove(k);
    version++;
    timeline.recordChange(() -> {
      version++;
      map.put(k, old);
    }, () -> {
      version++;
      map.remove(k);
    });
  }

  /** Grows with every change of the map, including undone ones; never repeats. */
  public long version() {
    return version;
  }

  public Collection<V> values() {
    return map.values();
  }

  public Map<K, V> view() {
    return java.util.Collections.unmodifiableMap(map);
  }

  public int size() {
    return map.size();
  }
}
