package kstack.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;

/**
 * What {@code bench --fork-to N} measured on one profile.
 *
 * @param target           the task count asked for
 * @param tasks            the task count reached (the idle task and every hashed pid)
 * @param seconds          wall time of all the forks, from the booted machine to the last one
 * @param gc               the JVM's collectors and how long they ran during the forks
 * @param heapBytesPerTask Java heap per task forked, after the collector freed what it could
 * @param heapBytes        the Java heap all the forked tasks hold
 * @param forkAtTasks      nanoseconds per fork at each count timed (trace off)
 * @param stopped          why fewer than target tasks were reached, or null
 */
public record ScaleFigures(String arch, String kernel, String version, int target, int tasks,
    double seconds, Gc gc, long heapBytesPerTask, long heapBytes,
    SortedMap<Integer, Stats> forkAtTasks, String stopped) {

  /**
   * The collectors the JVM ran ("PS Scavenge, PS MarkSweep") and the seconds their pauses took
   * during the forks, as the JVM counts them (G1's concurrent marking, which runs beside the forks,
   * is not counted before Java 20): what keeping millions of idle tasks costs in time.
   */
  public record Gc(String names, double seconds) {}

  /** One JSON object, one line: the medians, and under "min" the fastest forks. */
  public String toJson() {
    return JsonLine.of(arch, kernel, version, g -> {
      g.writeNumberField("target_tasks", target);
      g.writeNumberField("tasks", tasks);
      g.writeNumberField("seconds", Math.round(seconds * 10) / 10.0);
      g.writeStringField("gc", gc.names());
      g.writeNumberField("gc_seconds", Math.round(gc.seconds() * 10) / 10.0);
      g.writeNumberField("heap_bytes_per_task", heapBytesPerTask);
      g.writeNumberField("heap_bytes", heapBytes);
      forks(g, false);
      g.writeObjectFieldStart("min");
      forks(g, true);
      g.writeEndObject();
      if (stopped != null) {
        g.writeStringField("stopped", stopped);
      }
    });
  }

  private void forks(JsonGenerator g, boolean min) throws IOException {
    g.writeObjectFieldStart("fork_ns_at_tasks");
    for (Map.Entry<Integer, Stats> e : forkAtTasks.entrySet()) {
      Stats s = e.getValue();
      g.writeNumberField(Integer.toString(e.getKey()), Math.round(min ? s.min() : s.median()));
    }
    g.writeEndObject();
  }

  /** The text report: one line per figure. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("== %s %s (%s): fork to %,d tasks (trace off, pid_max raised)%n", arch,
        kernel, version, target));
    forkAtTasks.forEach((count, s) -> b.append(String.format(
        "  %-36s min %,10.1f  median %,10.1f ns%n", String.format("fork at %,d tasks", count),
        s.min(), s.median())));
    b.append(String.format("  %-36s %,10d in %.1f s%n", "tasks reached", tasks, seconds));
    b.append(String.format("  %-36s %10.1f s (%s)%n", "of which garbage collection", gc.seconds(),
        gc.names()));
    b.append(String.format("  %-36s %,10d bytes of Java heap (%,d MiB in all)%n",
        "per task", heapBytesPerTask, heapBytes >> 20));
    if (stopped != null) {
      b.append("  stopped: ").append(stopped).append('\n');
    }
    return b.toString().stripTrailing();
  }
}
