package kstack.machine;

import java.util.ArrayList;
import java.util.List;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.stack.TaskInfo;

/**
 * ps, read from simulated memory: init_task, each CPU's idle task, then the init_task.tasks list,
 * each process followed by its other threads (as {@code ps -eL} lists them).
 */
final class TaskView {
  private TaskView() {}

  static List<TaskInfo> ps(Machine m) {
    return ps(m, new ArrayList<>());
  }

  /** Fills out as far as the list can be walked; a MemoryFault leaves the tasks before it there. */
  static List<TaskInfo> ps(Machine m, List<TaskInfo> out) {
    Kernel k = m.kernel();
    List<Long> seen = new ArrayList<>();
    for (int c = 0; c < m.cpuCount(); c++) {
      long idle = k.rq.idleTask(c);
      if (idle == 0 && c == 0) {
        idle = k.image.symbol("init_task");
      }
      if (idle != 0 && !seen.contains(idle)) {
        seen.add(idle);
        out.add(info(m, k, idle));
      }
    }
    k.tasks.forEachTask(t -> out.add(info(m, k, t)));
    return out;
  }

  static TaskInfo info(Machine m, Kernel k, long t) {
    long parent = k.tasks.realParent(t);
    int ppid = parent == t ? 0 : k.tasks.pid(parent);
    return new TaskInfo(k.tasks.pid(t), (int) k.tasks.taskRead(t, TaskMember.tgid), k.tasks.comm(t), stateName(k, t),
        k.tasks.taskCpu(t), ppid, t, k.stacks.stack(t));
  }

  /** The letter ps prints: R running or runnable, S, D, Z zombie, X dead, N new. */
  static String stateName(Kernel k, long t) {
    if (k.tasks.isZombie(t)) {
      return "Z";
    }
    long s = k.tasks.state(t);
    if (s == Kernel.TASK_RUNNING) {
      return "R";
    }
    if (k.tasks.stateIsDead(t)) {
      return "X";
    }
    if ((s & Kernel.TASK_INTERRUPTIBLE) != 0) {
      return "S";
    }
    if ((s & Kernel.TASK_UNINTERRUPTIBLE) != 0) {
      return "D";
    }
    return (s & 0x800) != 0 ? "N" : "?";
  }
}
