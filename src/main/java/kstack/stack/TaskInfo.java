package kstack.stack;

/**
 * A line of {@code ps}, read from the task_struct in simulated memory.
 *
 * @param pid   the task's own id (task_struct.pid: ps -L's LWP)
 * @param tgid  its thread group's id (task_struct.tgid: ps's PID); equal to pid but in a thread
 * @param state one letter as ps prints it: R running/runnable, S interruptible, D uninterruptible,
 *              Z zombie, I idle kernel thread
 */
public record TaskInfo(int pid, int tgid, String comm, String state, int cpu, int ppid, long task,
    long stack) {}
