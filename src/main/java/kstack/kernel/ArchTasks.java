package kstack.kernel;

/**
 * Where the arch keeps a task's state: current, the saved user registers (pt_regs), the top
 * of the stack, preempt_count, and whether a frame or CPU is in user mode. Part of the arch
 * port, {@link Arch}.
 */
public interface ArchTasks {
  /** {@code get_current()} as the profile finds it. */
  long current(Kernel k, int cpu);

  /** {@code task_pt_regs(task)} */
  long taskPtRegs(Kernel k, long task);

  /** {@code task_top_of_stack(task)}, the value entry code loads as the stack top. */
  long taskTopOfStack(Kernel k, long task);

  /**
   * {@code current_thread_info()} where thread_info sits at the base of the kernel stack (the 2.6
   * generations), given the CPU's kernel stack pointer sp: the stack pointer masked to THREAD_SIZE
   * (asm-i386/thread_info.h@2.6.11, arch/x86/include/asm/thread_info.h@2.6.32.67:168-229).
   */
  default long currentThreadInfo(Kernel k, int cpu, long sp) {
    return sp & -k.threadSize;
  }

  /** Where this CPU's preempt_count lives (a per-CPU variable on x86, thread_info on arm64). */
  long preemptCountAddress(Kernel k, int cpu);

  /** user_mode(regs): whether a saved frame returns to user mode. */
  boolean userModeRegs(Kernel k, long regs);

  /** Whether the CPU is executing in user mode now. */
  boolean inUserMode(Kernel k, int cpu);
}
