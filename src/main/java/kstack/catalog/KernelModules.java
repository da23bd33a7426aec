package kstack.catalog;

import kstack.kernel.KernelRoutines;
import kstack.kernel.KthreadCreateInfo;
import kstack.kernel.Routines24;
import kstack.kernel.Routines26On;
import kstack.kernel.TaskMember;
import kstack.kernel.TaskModel;
import kstack.kernel.TaskUnion;
import kstack.kernel.ThreadInfoAtBase;
import kstack.kernel.ThreadInfoInTask;

/**
 * The generic kernel's generation modules as the profile table picks them: one value per
 * generation, named by its version here (the catalog is where versions meet modules).
 */
final class KernelModules {
  private KernelModules() {}

  /** 2.6.11's EXIT_DEAD (include/linux/sched.h@2.6.11: 32), the state schedule() leaves. */
  private static final long EXIT_DEAD_2611 = 32;

  /** 2.4.22: task_struct at the base of the task_union (include/linux/sched.h@2.4.22:515-522). */
  static final TaskModel TASK_2_4 = new TaskUnion();

  /**
   * 2.6.11: thread_info at the stack base, named task->thread_info (sched.h@2.6.11:530); no
   * STACK_END_MAGIC; INIT_TASK flags 0 (init_task.h@2.6.11:73); EXIT_DEAD for a task gone for
   * good (sched.c@2.6.11:2719-2720); ptrace and audit_context for do_syscall_trace; kthread_create
   * through the helper workqueue with two completions (kthread.c@2.6.11:19-27).
   */
  static final TaskModel TASK_2_6_11 = new ThreadInfoAtBase("thread_info", false, 0,
      EXIT_DEAD_2611, true, null, KthreadCreateInfo.TWO_COMPLETIONS);

  /**
   * 2.6.32: thread_info at the stack base, task->stack, STACK_END_MAGIC past thread_info
   * (sched.h@2.6.32:2302-2330), thread_group, kthread_create_info on the creator's stack.
   */
  static final TaskModel TASK_2_6_32 = new ThreadInfoAtBase("stack", true,
      kstack.kernel.Kernel.PF_KTHREAD, kstack.kernel.Kernel.TASK_DEAD, false, "thread_group",
      KthreadCreateInfo.COMPLETION_INSIDE);

  /** 4.16.13: THREAD_INFO_IN_TASK, state, task->cpu, thread_group (sched.h@4.16.13). */
  static final TaskModel TASK_4_16 = new ThreadInfoInTask("state", TaskMember.cpu, "thread_group",
      "wait_queue_head", KthreadCreateInfo.COMPLETION_POINTER);

  /**
   * 6.19: __state, thread_info.cpu (sched.h@6.19:2215-2218), thread_node on signal->thread_head,
   * completions on swait queues, kthread_create_info with full_name first.
   */
  static final TaskModel TASK_6_19 = new ThreadInfoInTask("__state", TaskMember.thread_info_cpu,
      "thread_node", "swait_queue_head", KthreadCreateInfo.FULL_NAME_FIRST);

  /** 2.4.22's generic kernel. */
  static final KernelRoutines ROUTINES_2_4 = new Routines24();

  /** The generic kernel of 2.6.11 through 6.19. */
  static final KernelRoutines ROUTINES_2_6_ON = new Routines26On();
}
