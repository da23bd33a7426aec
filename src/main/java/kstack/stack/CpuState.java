package kstack.stack;

/**
 * What a picture needs of one CPU at a snapshot: its stack pointer register (named as the arch
 * names it: rsp, esp, sp) and value, whether it runs user code, and the task current on it.
 *
 * @param cpu      the CPU's number
 * @param spName   the stack pointer register's name
 * @param sp       its value
 * @param userMode whether the CPU is executing user code (then sp is on a user stack)
 * @param current  the task_struct current on it (0: unreadable)
 */
public record CpuState(int cpu, String spName, long sp, boolean userMode, long current) {}
