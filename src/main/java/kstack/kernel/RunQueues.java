package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import kstack.trace.Event;
import kstack.trace.JCell;
import kstack.trace.JList;
import kstack.trace.JMap;

/**
 * The scheduler's bookkeeping (kernel/sched/core.c, kernel/sched/wait.c): each CPU's run queue and
 * idle task, TIF_NEED_RESCHED, try_to_wake_up, and the wait queues. The queues stand in for the rq
 * rb-trees and wait_queue_head lists whose bytes the simulator does not model; every change is
 * recorded on the timeline.
 */
public final class RunQueues {
  private final Kernel k;
  private final TaskModel model;
  private final List<RunList> runQueues = new ArrayList<>();
  /** The queued or marked tasks of every run queue, by task (see {@link RunList}). */
  private final RunSlots queued = new RunSlots();
  private final List<JCell<Long>> idleTasks = new ArrayList<>();
  private final JMap<Long, JList<Long>> waitQueues;
  private final JCell<Integer> nextChildCpu;

  RunQueues(Kernel k, TaskModel model) {
    this.k = k;
    this.model = model;
    for (int c = 0; c < k.cpus; c++) {
      runQueues.add(new RunList(k.timeline, queued));
    }
    for (int c = 0; c < k.cpus; c++) {
      idleTasks.add(new JCell<>(k.timeline, 0L));
    }
    this.waitQueues = new JMap<>(k.timeline);
    this.nextChildCpu = new JCell<>(k.timeline, -1);
  }

  /**
   * The run queue of cpu. A cpu number out of range can only come from a task whose cpu field an
   * overflow overwrote (2.4 keeps the task_struct at the stack base): that is said, not indexed.
   */
  public RunList runQueue(int cpu) {
    if (cpu < 0 || cpu >= runQueues.size()) {
      throw new IllegalStateException("a task's cpu field reads " + cpu + " on a " + runQueues.size()
          + "-CPU machine: the task_struct is corrupt (a stack overflow overwrote it?)");
    }
    return runQueues.get(cpu);
  }

  /** The idle task of a CPU (pid 0 on CPU 0, swapper/N elsewhere). */
  public long idleTask(int cpu) {
    return idleTasks.get(cpu).get();
  }

  public void setIdleTask(int cpu, long task) {
    idleTasks.get(cpu).set(task);
  }

  public boolean needResched(long task) {
    return model.needResched(k, task);
  }

  public void setNeedResched(long task, boolean on) {
    model.setNeedResched(k, task, on);
  }

  /**
   * Marks a task on or off its run queue: on_rq, or on 2.4 the run_list link into runqueue_head
   * (add_to_runqueue / del_from_runqueue, whose NULL run_list.next means "not queued").
   */
  public void setOnRunqueue(long task, boolean on) {
    model.setOnRunqueue(k, task, on);
  }

  /**
   * {@code try_to_wake_up}: the task becomes TASK_RUNNING and joins its CPU's run queue; if that CPU
   * is idle it gets TIF_NEED_RESCHED so that do_idle leaves its halt loop.
   */
  public boolean wakeUp(long task, int fromCpu, String by) {
    long st = k.tasks.state(task);
    if (st == Kernel.TASK_RUNNING || st == Kernel.TASK_DEAD || st == Kernel.EXIT_ZOMBIE
        || k.tasks.isZombie(task)) {
      return false;
    }
    k.tasks.setState(task, Kernel.TASK_RUNNING);
    int cpu = k.tasks.taskCpuChecked(task);
    enqueue(cpu, task);
    k.timeline.emit(new Event.Woken(fromCpu, k.tasks.pid(task), by));
    return true;
  }

  public void enqueue(int cpu, long task) {
    RunList rq = runQueue(cpu);
    if (!rq.contains(task) && k.current(cpu) != task) {
      rq.addWoken(task);
      setOnRunqueue(task, true);
    }
    long cur = k.current(cpu);
    if (cur == idleTask(cpu)) {
      setNeedResched(cur, true);
    }
  }

  /**
   * Marks a task as no work for {@link RunList#hasUnmarked} (the debugger's user processes parked
   * at their wait point), or clears the mark; recorded.
   */
  public void markNoWork(long task, boolean on) {
    RunList.mark(k.timeline, queued, task, on);
  }

  /** The tasks marked as no work, ascending. */
  public List<Long> markedNoWork() {
    return queued.marked();
  }

  public void addWaiter(long queue, long task) {
    JList<Long> q = waitQueues.get(queue);
    if (q == null) {
      q = new JList<>(k.timeline);
      waitQueues.put(queue, q);
    }
    if (!q.contains(task)) {
      q.addLast(task);
    }
  }

  /** Wakes every waiter on a queue; returns how many were woken. */
  public int wakeAll(long queue, int fromCpu, String by) {
    JList<Long> q = waitQueues.get(queue);
    if (q == null) {
      return 0;
    }
    int n = 0;
    while (!q.isEmpty()) {
      if (wakeUp(q.removeFirst(), fromCpu, by)) {
        n++;
      }
    }
    return n;
  }

  public void removeWaiter(long queue, long task) {
    JList<Long> q = waitQueues.get(queue);
    if (q != null) {
      q.remove(task);
    }
  }

  /**
   * Where init's next child starts: as if the request said {@code taskset -c N}. select_task_rq
   * honours the child's allowed CPUs; the simulator sets them for the child of the next spawn.
   */
  public void setNextChildCpu(int cpu) {
    nextChildCpu.set(cpu);
  }

  int takeNextChildCpu(long parent) {
    Integer c = nextChildCpu.get();
    if (c == null || c < 0 || k.tasks.pid(parent) != 1) {
      return -1;
    }
    nextChildCpu.set(-1);
    return c;
  }
}
