package kstack.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * Every stack of the machine at one point of its timeline, as data: the task list as {@code ps}
 * walks it (and what stopped the walk, where an overflow broke the list), each listed task's
 * stacks, and each CPU's per-CPU stacks (hardirq, softirq, exception/IST, entry, overflow, as the
 * arch models them for that CPU and generation). {@code bt}, {@code stack} and {@code ps} are
 * renderings of it; the web UI, exports and a gdb stub read the same values.
 *
 * @param step            the timeline's step count when it was taken
 * @param tasks           ps's rows, in its order
 * @param taskListCorrupt what stopped walking init_task's list, or null
 * @param taskStacks      each task's stacks, in the order of tasks
 * @param cpuStacks       each CPU's per-CPU stacks, CPU by CPU
 */
public record Snapshot(long step, List<TaskInfo> tasks, String taskListCorrupt,
    List<TaskStack> taskStacks, List<StackRegion> cpuStacks) {

  public Snapshot {
    tasks = List.copyOf(tasks);
    taskStacks = List.copyOf(taskStacks);
    cpuStacks = List.copyOf(cpuStacks);
  }

  /** Every region: each task's own stack (where it can be found), then the per-CPU stacks. */
  public List<StackRegion> regions() {
    List<StackRegion> out = new ArrayList<>();
    for (TaskStack t : taskStacks) {
      if (t.stack() != null) {
        out.add(t.stack());
      }
    }
    out.addAll(cpuStacks);
    return out;
  }

  /** The region an address lies in, or null (the first that holds it: StackRange's rule). */
  public StackRegion regionAt(long address) {
    for (StackRegion r : regions()) {
      if (r.range().holds(address, 1)) {
        return r;
      }
    }
    return null;
  }
}
