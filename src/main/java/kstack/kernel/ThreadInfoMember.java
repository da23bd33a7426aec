package kstack.kernel;

/**
 * The thread_info members the model reads and writes (arch/ARCH/include/asm/thread_info.h of the
 * version; 2.4.22 has no thread_info), resolved once when the kernel is built like
 * {@link TaskMember}. Only flags is in every thread_info; the rest belong to some arches and
 * generations (addr_limit until set_fs went, cpu where it is not task->cpu, i386's
 * sysenter_return and previous_esp).
 */
public enum ThreadInfoMember {
  flags, task, cpu, preempt_count, addr_limit, exec_domain, restart_block, sysenter_return,
  previous_esp
}
