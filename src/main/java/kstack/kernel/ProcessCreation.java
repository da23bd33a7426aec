package kstack.kernel;

import kstack.profile.Module;

/**
 * Process creation (kernel/fork.c) as one generation builds it: the entry (2.4 and 2.6
 * {@code do_fork}, 4.16 {@code _do_fork}, 5.10+ {@code kernel_clone}), copy_process and
 * dup_task_struct with the generation's stack allocator, the generic system calls that reach them,
 * and fork_idle's call. The profile table ({@code kstack.catalog.Profiles}) picks one per profile;
 * {@link Fork} holds what every generation shares.
 */
public interface ProcessCreation extends Module {
  /** The entry, copy_process, dup_task_struct and the stack allocator, in the image's order. */
  void build(Kernel k);

  /**
   * sys_clone and sys_fork where they are generic code; the generations whose system calls take
   * the caller's pt_regs have the arch build them.
   */
  void buildCloneSyscalls(Kernel k);

  /** clone3 (5.3+), linked after the rest of the system calls; nothing where there is none. */
  void buildClone3(Kernel k);

  /** fork_idle (kernel/fork.c): copy_process for a CPU's idle task, then init_idle. */
  void buildForkIdle(Kernel k);
}
