package kstack.machine;

/**
 * A line of {@code ps}, read from the task_struct in simulated memory.
 *
 * @param state one letter as ps prints it: R running/runnable, S interruptible, D uninterruptible,
 *              Z zombie, I idle kernel thread
 */
public record TaskInfo(int pid, String comm, String state, int cpu, int ppid, long task,
    long stack) {}
