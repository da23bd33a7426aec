package kstack.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;

/** The JVM's garbage collectors: their names and the time they have taken so far. */
final class GcClock {
  private GcClock() {}

  /** Milliseconds all collectors have taken since the JVM started (as each one counts them). */
  static long millis() {
    long ms = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, b.getCollectionTime());
    }
    return ms;
  }

  /** The collectors' names, as the JVM gives them ("PS Scavenge, PS MarkSweep"). */
  static String names() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
  }
}
