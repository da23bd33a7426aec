package kstack.kernel;

import java.util.Map;
import java.util.function.LongConsumer;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Module;

/**
 * The generation module of a task's layout and accessors: where task_struct and thread_info sit
 * relative to the kernel stack (2.4's task_union, 2.6's thread_info at the stack base, the
 * THREAD_INFO_IN_TASK of 4.9 on), which members hold what (state or __state, the CPU, the stack
 * pointer), how tasks are linked, and what INIT_TASK holds. The kernel asks the profile for it
 * once, at construction ({@code profile.module(TaskModel.class)}); one-line differences between
 * generations are fields of the implementations, not branches.
 */
public interface TaskModel extends Module {
  /** task_struct as the generation lays it out (include/linux/sched.h of version). */
  StructLayout taskStruct(Types t, Map<String, StructLayout> arch, StructLayout listHead,
      String version);

  /** The member holding the run state: state, or 6.x's __state. */
  String stateField();

  /** The member pointing at the kernel stack: stack, 2.6.11's thread_info; null where it is the task. */
  String stackMember();

  /** Whether thread_info sits at the base of the kernel stack (2.6) rather than in task_struct. */
  boolean threadInfoAtBase();

  /** The struct whose cpu member an overflow may have overwritten: the one the model reads it from. */
  default String cpuHolder() {
    return threadInfoAtBase() ? "thread_info" : "task_struct";
  }

  /** INIT_TASK's flags: PF_KTHREAD, or 0 before 2.6.27 (init_task.h@2.6.11:73). */
  long initTaskFlags();

  /** The function the boot task ends in as the idle loop (cpu_idle, or cpu_startup_entry). */
  String idleLoop();

  /** 2.6's init_module(umod, len, uargs) (kernel/module.c@2.6.11:1737, @2.6.32.67:2603). */
  boolean initModuleTakesUargs();

  /** Whether a STACK_END_MAGIC word marks the end of the stack (not on 2.4 nor 2.6.11). */
  boolean hasStackEndMagic();

  /** Whether start_kernel writes init_task's magic (from 3.18: init/main.c@4.16.13:520). */
  boolean initSetsStackEndMagic();

  /** The struct completion's wait queue head: wait_queue_head, or swait_queue_head (4.19 on). */
  default String completionWait() {
    return "wait_queue_head";
  }

  /** The shape of kthread_create_info, or NONE where there is no kernel/kthread.c. */
  KthreadCreateInfo kthreadCreateInfo();

  // ---- accessors whose shape differs between generations ------------------------------------

  /** {@code end_of_stack(task)}: the lowest word the stack may use. */
  long endOfStack(Kernel k, long task);

  /** {@code task_thread_info(task)}. */
  long threadInfo(Kernel k, long task);

  int taskCpu(Kernel k, long task);

  void setTaskCpu(Kernel k, long task, int cpu);

  /** set_fs(USER_DS) for task, where the generation keeps an addr_limit. */
  void setFsUserDs(Kernel k, long task, long ds);

  // ---- the shape of 2.6 on, which 2.4's task_union overrides ----------------------------------
  //
  // Tasks linked through list_heads (tasks, children/sibling), real_parent, exit_state for a zombie,
  // PF_KTHREAD, TIF_NEED_RESCHED in thread_info's flags, on_rq for a queued task
  // (include/linux/sched.h@2.6.11 through @6.19), and the INIT_TASK members they share.

  /** TIF_NEED_RESCHED in the task's thread_info flags. */
  default boolean needResched(Kernel k, long task) {
    return (k.tasks.tiRead(task, ThreadInfoMember.flags) & (1L << Kernel.TIF_NEED_RESCHED)) != 0;
  }

  default void setNeedResched(Kernel k, long task, boolean on) {
    long f = k.tasks.tiRead(task, ThreadInfoMember.flags);
    f = on ? f | (1L << Kernel.TIF_NEED_RESCHED) : f & ~(1L << Kernel.TIF_NEED_RESCHED);
    k.tasks.tiWrite(task, ThreadInfoMember.flags, f);
  }

  /** Marks a task on or off its run queue: on_rq. */
  default void setOnRunqueue(Kernel k, long task, boolean on) {
    k.tasks.taskWrite(task, TaskMember.on_rq, on ? 1 : 0);
  }

  /** A zombie: exit_state EXIT_ZOMBIE. */
  default boolean isZombie(Kernel k, long task) {
    return k.tasks.taskRead(task, TaskMember.exit_state) == Threads.exitZombie(k);
  }

  /** PF_KTHREAD in flags. */
  default boolean isKthread(Kernel k, long task) {
    return (k.tasks.taskRead(task, TaskMember.flags) & Kernel.PF_KTHREAD) != 0;
  }

  /** The parent a task was forked by: real_parent. */
  default long realParent(Kernel k, long task) {
    return k.tasks.taskRead(task, TaskMember.real_parent);
  }

  /** Hands each child of task to each, in children order (sibling links). */
  default void forEachChild(Kernel k, long task, LongConsumer each) {
    long head = task + k.tasks.off(TaskMember.children);
    int sibling = k.tasks.off(TaskMember.sibling);
    for (long node = k.readPtr(head); node != head; node = k.readPtr(node)) {
      each.accept(node - sibling);
    }
  }

  /** Walks init_task's tasks list (init_task excluded), each thread after its leader. */
  default void forEachTask(Kernel k, LongConsumer each) {
    long init = k.image.symbol("init_task");
    int tasksOff = k.tasks.off(TaskMember.tasks);
    long head = init + tasksOff;
    int n = 0;
    for (long node = k.readPtr(head); node != head && n++ < 1_000_000; node = k.readPtr(node)) {
      each.accept(node - tasksOff);
      Threads.forEachOther(k, node - tasksOff, each); // for_each_process_thread
    }
  }

  /** task->stack (2.6.11: task->thread_info). */
  default long stack(Kernel k, long task) {
    return k.tasks.stackMember(task);
  }

  /** The state of a task that has switched away for the last time: TASK_DEAD. */
  default long deadState() {
    return Kernel.TASK_DEAD;
  }

  /** INIT_TASK (init/init_task.c; include/linux/init_task.h before 4.x): the members 2.6 on share. */
  default void initTask(Kernel k, long it, long initMm) {
    TaskAccess ts = k.tasks;
    ts.setState(it, Kernel.TASK_RUNNING);
    ts.setStackMember(it, k.image.symbol("init_stack"));
    ts.taskWrite(it, TaskMember.usage, 2);
    ts.taskWrite(it, TaskMember.flags, initTaskFlags());
    ts.taskWrite(it, TaskMember.prio, 120);
    k.listInit(it + k.tasks.off(TaskMember.tasks));
    k.listInit(it + k.tasks.off(TaskMember.children));
    k.listInit(it + k.tasks.off(TaskMember.sibling));
    Threads.initTask(k, it);
    ts.taskWrite(it, TaskMember.active_mm, initMm);
    ts.taskWrite(it, TaskMember.real_parent, it);
    ts.taskWrite(it, TaskMember.parent, it);
    ts.taskWrite(it, TaskMember.group_leader, it);
    initThreadInfo(k, it);
    ts.taskWrite(it, TaskMember.on_cpu, 1);
  }

  /** kthread_create_list and the kthreadd_done completion, where a kthreadd takes requests. */
  default void initStaticData(Kernel k) {
    if (kthreadCreateInfo().kthreaddLists()) {
      k.listInit(k.image.symbol("kthread_create_list"));
      k.listInit(k.image.symbol("kthreadd_done") + CompletionMember.wait_head.off(k));
    }
  }

  /** INIT_THREAD_INFO and the stack's bookkeeping in init_task. */
  void initThreadInfo(Kernel k, long it);

  // ---- thread groups (kernel/fork.c, kernel/exit.c) ---------------------------------------------

  /** The task_struct member that links a thread group, or null where the model has none. */
  String threadGroupLink();

  /** Why clone cannot make a thread on this generation's model, or null. */
  default String threadsUnsupported() {
    return null;
  }

  /**
   * exit_state's EXIT_ZOMBIE: 0x20 from 4.x on (sched.h@4.16.13:75-76, @6.19:111-112; 2.6 had
   * 16, the generations at the base override).
   */
  default long exitZombie() {
    return 0x20;
  }

  /** exit_state's EXIT_DEAD: 0x10 from 4.x on (2.6 had 32). */
  default long exitDead() {
    return 0x10;
  }

  /** Whether a new thread also joins its parent's children list (copy_process before 4.x). */
  default boolean threadsJoinChildren() {
    return true;
  }

  /**
   * Whether the image holds default_exec_domain, which 2.4's INIT_TASK and 2.6's INIT_THREAD_INFO
   * point at (include/linux/personality.h); thread_info in the task has no exec_domain.
   */
  default boolean defaultExecDomain() {
    return false;
  }

  /** Whether task_struct itself sits at the base of the stack (2.4's task_union). */
  default boolean taskStructInStack() {
    return false;
  }

  /** Whether task_struct has exit_state (2.6 on; 2.4 keeps TASK_ZOMBIE in state). */
  default boolean hasExitState() {
    return true;
  }
}
