package kstack.machine;

import java.util.ArrayList;
import java.util.List;
import kstack.kernel.Arch;
import kstack.kernel.Kernel;
import kstack.mem.MemoryFault;
import kstack.stack.Frame;
import kstack.stack.Snapshot;
import kstack.stack.StackKind;
import kstack.stack.StackOwner;
import kstack.stack.StackRange;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskInfo;
import kstack.stack.TaskStack;

/**
 * The snapshot service: every stack region of the machine as data ({@link Snapshot}), made from
 * what the arch already computes: its unwinder (frames), its stack view (labelled words of a task's
 * stack) and its stack ranges (the per-CPU stacks a running task's frames can be on, with their
 * bounds). One task's stacks ({@link #task}) are made by the same code for {@code bt} and
 * {@code stack}. Reads only; nothing is formatted as text here.
 */
final class Snapshots {
  private final Machine m;
  private final Kernel kernel;
  private final Arch arch;

  Snapshots(Machine m) {
    this.m = m;
    this.kernel = m.kernel();
    this.arch = m.arch();
  }

  /**
   * Every stack now: each task ps lists (as far as the list can be walked) with its backtrace and
   * its own stack, then each CPU's per-CPU stacks. A task whose stack words cannot be read (an
   * overflow overwrote what they are found through) is listed with its damage and no region.
   */
  Snapshot take() {
    List<TaskInfo> tasks = new ArrayList<>();
    String corrupt = m.inspector().psUntilCorrupt(tasks);
    List<TaskStack> stacks = new ArrayList<>();
    for (TaskInfo t : tasks) {
      stacks.add(readable(t.task()));
    }
    List<StackRegion> cpuStacks = new ArrayList<>();
    for (int c = 0; c < m.cpuCount(); c++) {
      cpuStacks.addAll(cpuStacks(c));
    }
    SnapshotLinks links = new SnapshotLinks(m);
    List<StackRegion> user = links.userStacks(stacks);
    return new Snapshot(m.timeline().steps(), tasks, corrupt, stacks, cpuStacks, links.cpus(),
        user, links.guards(stacks, cpuStacks), links.pointers(stacks, user));
  }

  /**
   * One task's stacks: its owner, what an overflow overwrote (then no region), its backtrace, and,
   * with words, its own stack's labelled words and task_pt_regs (without: the region's bounds
   * alone, as bt needs).
   */
  TaskStack task(long task, boolean words) {
    int cpu = m.inspector().cpuRunning(task);
    boolean running = cpu >= 0;
    int on = running ? cpu : m.selectedCpu();
    List<Frame> frames = arch.unwind(kernel, task, running, on);
    String damage = kernel.stacks.overwritten(task);
    if (damage != null) {
      return new TaskStack(new StackOwner(task, -1, "", cpu), damage, frames, null, 0);
    }
    StackOwner owner = StackOwner.ofTask(task, kernel.tasks.pid(task), kernel.tasks.comm(task), cpu);
    long base = kernel.stacks.stack(task);
    List<StackWord> labelled = words ? arch.describeStack(kernel, task, running, on) : List.of();
    StackRegion region = new StackRegion(owner, StackKind.TASK, "", base, base + kernel.threadSize,
        labelled, on(frames, StackKind.TASK, ""));
    return new TaskStack(owner, null, frames, region, words ? m.inspector().taskPtRegs(task) : 0,
        words ? highWater(task) : 0);
  }

  /**
   * The lowest word the task's stack has used: the end of the stack (past the magic) plus
   * stack_not_used (kernel/exit.c@6.19:781-805, task_stack.h@4.16.13).
   */
  private long highWater(long task) {
    long first = kernel.stacks.endOfStack(task)
        + (kernel.stacks.hasStackEndMagic() ? kernel.t.word : 0);
    return first + kernel.stacks.stackNotUsed(task);
  }

  /** A task's stacks for the whole snapshot: where reading them faults, its damage says so. */
  private TaskStack readable(long task) {
    try {
      return task(task, true);
    } catch (MemoryFault f) {
      int cpu = m.inspector().cpuRunning(task);
      return new TaskStack(new StackOwner(task, -1, "", cpu), String.format(
          "task_struct 0x%x: its stack cannot be read (%s)", task, f.getMessage()), List.of(),
          null, 0);
    }
  }

  /**
   * Cpu c's per-CPU stacks (every range but the task's own that the arch gives for the task
   * current there), each with the frames of that task's backtrace that lie on it.
   */
  List<StackRegion> cpuStacks(int c) {
    List<StackRegion> out = new ArrayList<>();
    if (m.cpu(c).pc() == 0) {
      return out; // not brought up: its per-CPU stacks are not set up yet
    }
    try {
      long current = kernel.current(c);
      List<Frame> frames = arch.unwind(kernel, current, true, c);
      StackOwner owner = StackOwner.ofCpu(c);
      for (StackRange r : arch.stackRanges(kernel, current, true, c)) {
        if (r.kind() != StackKind.TASK) {
          out.add(new StackRegion(owner, r.kind(), r.name(), r.low(), r.high(), List.of(),
              on(frames, r.kind(), r.name())));
        }
      }
    } catch (MemoryFault overwritten) {
      // current (or what finds its stack) is unreadable: the per-CPU stacks cannot be placed
    }
    return out;
  }

  /** The frames of a backtrace that are on the stack of that kind and name (separators excluded). */
  private static List<Frame> on(List<Frame> frames, StackKind kind, String name) {
    List<Frame> out = new ArrayList<>();
    for (Frame f : frames) {
      if (f.stack() == kind && !f.function().startsWith("---") && !f.function().equals(Frame.STOPPED)
          && (f.stackName().isEmpty() || f.stackName().equals(name))) {
        out.add(f);
      }
    }
    return out;
  }
}
