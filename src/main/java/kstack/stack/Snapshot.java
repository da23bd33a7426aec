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
 * @param cpus            each CPU brought up: its stack pointer and current task
 * @param userStacks      the user stack of the selected CPU's current task (the pages from its
 *                        user stack pointer or lowest user frame up to the mapping's top), or none
 * @param guards          the guard pages next to the stacks above (VMAP_STACK's vmalloc guard
 *                        pages, the IST and entry stacks' unmapped neighbours), each once
 * @param pointers        the pointers between them: per CPU its stack pointer, current_task (or
 *                        sp_el0), TSS sp0/sp1; per task its stack pointer and thread_info->task
 */
public record Snapshot(long step, List<TaskInfo> tasks, String taskListCorrupt,
    List<TaskStack> taskStacks, List<StackRegion> cpuStacks, List<CpuState> cpus,
    List<StackRegion> userStacks, List<StackRange> guards, List<Pointer> pointers) {

  public Snapshot {
    tasks = List.copyOf(tasks);
    taskStacks = List.copyOf(taskStacks);
    cpuStacks = List.copyOf(cpuStacks);
    cpus = List.copyOf(cpus);
    userStacks = List.copyOf(userStacks);
    guards = List.copyOf(guards);
    pointers = List.copyOf(pointers);
  }

  /** A snapshot of the stacks alone, without the CPUs, user stacks, guards and pointers. */
  public Snapshot(long step, List<TaskInfo> tasks, String taskListCorrupt,
      List<TaskStack> taskStacks, List<StackRegion> cpuStacks) {
    this(step, tasks, taskListCorrupt, taskStacks, cpuStacks, List.of(), List.of(), List.of(),
        List.of());
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
