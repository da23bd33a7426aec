package kstack.stack;

/**
 * Whose a stack is: a task's own kernel stack (the task_struct's address, its pid and comm, and the
 * CPU it runs on or -1), or a CPU's per-CPU stack (task 0: the hardirq, softirq, exception/IST,
 * entry or overflow stack of cpu, used by whatever runs there).
 *
 * @param task the task_struct's address, or 0 for a per-CPU stack
 * @param pid  the task's pid (-1 for a per-CPU stack, or where the task_struct is unreadable)
 * @param comm the task's comm ("" for a per-CPU stack, or where unreadable)
 * @param cpu  the CPU the task runs on (-1: not running), or the per-CPU stack's CPU
 */
public record StackOwner(long task, int pid, String comm, int cpu) {

  public static StackOwner ofTask(long task, int pid, String comm, int runningOn) {
    return new StackOwner(task, pid, comm, runningOn);
  }

  public static StackOwner ofCpu(int cpu) {
    return new StackOwner(0, -1, "", cpu);
  }

  /** Whether this is a task's own stack (else a CPU's). */
  public boolean isTask() {
    return task != 0;
  }
}
