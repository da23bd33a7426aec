package kstack.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.ToDoubleFunction;

/**
 * What bench measured on one profile. Times are nanoseconds per operation with the trace on, except
 * fork at a task count (trace off, as the tasks are forked to reach it).
 *
 * @param arch                 the profile's arch ({@code x86_64})
 * @param kernel               the profile's generation as {@code --kernel} names it ({@code 6.x})
 * @param version              the modelled source version ({@code 6.19})
 * @param getpid               one getpid round trip, user mode to user mode
 * @param getpidTraceOff       the same with the history not recorded (what recording costs is the
 *                             difference)
 * @param yieldPair            two context switches made by sched_yield (A to B and back)
 * @param fork                 one fork whose child is left runnable, on a machine of a few tasks
 * @param forkAtTasks          one fork with that many live tasks (only the counts measured)
 * @param heapBytesPerTask     Java heap one more idle task holds
 * @param historyBytesPerStep  Java heap the recorded history grows by per step over all the getpid
 *                             loops (spare capacity of the journal's arrays included)
 * @param reversePerStep       taking one step back (reverse-stepi over a getpid loop)
 * @param stepsPerGetpid       steps of one getpid round trip
 */
public record Figures(String arch, String kernel, String version, Stats getpid, Stats getpidTraceOff,
    Stats yieldPair,
    Stats fork, SortedMap<Integer, Stats> forkAtTasks, long heapBytesPerTask,
    double historyBytesPerStep, Stats reversePerStep, double stepsPerGetpid) {

  /**
   * The contract of {@code bench --json}: one object, one line. Each named figure is the median; the
   * same names under {@code "min"} give the fastest run.
   */
  public String toJson() {
    return JsonLine.of(arch, kernel, version, g -> {
      g.writeNumberField("repeats", getpid.runs());
      figures(g, Stats::median);
      g.writeObjectFieldStart("min");
      figures(g, Stats::min);
      g.writeEndObject();
    });
  }

  private void figures(JsonGenerator g, ToDoubleFunction<Stats> pick) throws IOException {
    g.writeNumberField("getpid_ns", Math.round(pick.applyAsDouble(getpid)));
    g.writeNumberField("getpid_trace_off_ns", Math.round(pick.applyAsDouble(getpidTraceOff)));
    g.writeNumberField("yield_pair_ns", Math.round(pick.applyAsDouble(yieldPair)));
    g.writeNumberField("fork_ns", Math.round(pick.applyAsDouble(fork)));
    g.writeObjectFieldStart("fork_ns_at_tasks");
    for (Map.Entry<Integer, Stats> e : forkAtTasks.entrySet()) {
      g.writeNumberField(Integer.toString(e.getKey()), Math.round(pick.applyAsDouble(e.getValue())));
    }
    g.writeEndObject();
    g.writeNumberField("heap_bytes_per_task", heapBytesPerTask);
    g.writeNumberField("history_bytes_per_step", round1(historyBytesPerStep));
    g.writeNumberField("reverse_ns_per_step", round1(pick.applyAsDouble(reversePerStep)));
    g.writeNumberField("steps_per_getpid", round1(stepsPerGetpid));
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
