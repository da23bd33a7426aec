package kstack.kernel;

import java.nio.charset.StandardCharsets;
import kstack.profile.Feature;

/**
 * INIT_TASK (init/init_task.c; include/linux/init_task.h before 4.x), init_mm, and the statically
 * initialised data the mechanisms use (kthread_create_list, kthreadd_done, the boot CPU in
 * cpu_online_mask): what the image holds before the first instruction runs.
 */
final class InitTask {
  private InitTask() {}

  static void initData(Kernel k) {
    long it = k.image.symbol("init_task");
    long initMm = k.image.symbol("init_mm");
    if (k.profile.has(Feature.TASK_UNION)) {
      initData24(k, it, initMm);
      return;
    }
    k.tasks.taskWrite(it, k.tasks.stateField(), Kernel.TASK_RUNNING);
    k.tasks.taskWrite(it, "stack", k.image.symbol("init_stack"));
    k.tasks.taskWrite(it, "usage", 2);
    // 2.6.11's INIT_TASK has flags 0 (init_task.h@2.6.11:73): PF_KTHREAD came in 2.6.27
    k.tasks.taskWrite(it, "flags", k.profile.has(Feature.SCHED_O1_2611) ? 0 : Kernel.PF_KTHREAD);
    k.tasks.taskWrite(it, "prio", 120);
    k.listInit(it + k.image.off("task_struct", "tasks"));
    k.listInit(it + k.image.off("task_struct", "children"));
    k.listInit(it + k.image.off("task_struct", "sibling"));
    Threads.initTask(k, it);
    k.tasks.taskWrite(it, "active_mm", initMm);
    k.tasks.taskWrite(it, "real_parent", it);
    k.tasks.taskWrite(it, "parent", it);
    k.tasks.taskWrite(it, "group_leader", it);
    if (!k.profile.has(Feature.THREAD_INFO_AT_BASE)) {
      k.tasks.taskWrite(it, "stack_refcount", 1);
      if (k.image.struct("thread_info").has("addr_limit")) {
        // arm64 4.16's INIT_THREAD_INFO: .addr_limit = KERNEL_DS (thread_info.h@4.16.13:51)
        k.tasks.taskWrite(it, "thread_info.addr_limit", -1L);
      }
    } else {
      // INIT_THREAD_INFO(init_task) at the base of init_thread_union
      k.tasks.tiWrite(it, "task", it);
    }
    k.tasks.taskWrite(it, "on_cpu", 1);
    k.tasks.setComm(it, "swapper");
    k.arch.initThread(k, it);
    initMm(k, initMm);
    if (!k.profile.has(Feature.KTHREAD_HELPER_WQ)) {
      k.listInit(k.image.symbol("kthread_create_list"));
      k.listInit(k.image.symbol("kthreadd_done") + k.image.offPath("completion", "wait.head"));
    }
    onlineBootCpu(k, it);
  }

  /** INIT_TASK (include/linux/sched.h@2.4.22:471-512) at the base of init_task_union. */
  private static void initData24(Kernel k, long it, long initMm) {
    k.tasks.taskWrite(it, "state", Kernel.TASK_RUNNING);
    k.tasks.taskWrite(it, "addr_limit", 0xffffffffL);
    k.tasks.taskWrite(it, "exec_domain", k.image.symbol("default_exec_domain"));
    k.tasks.taskWrite(it, "lock_depth", -1);
    k.tasks.taskWrite(it, "counter", 10);
    k.tasks.taskWrite(it, "cpus_runnable", -1);
    k.tasks.taskWrite(it, "cpus_allowed", -1);
    k.listInit(it + k.image.off("task_struct", "run_list"));
    k.tasks.taskWrite(it, "next_task", it);
    k.tasks.taskWrite(it, "prev_task", it);
    k.tasks.taskWrite(it, "active_mm", initMm);
    k.tasks.taskWrite(it, "p_opptr", it);
    k.tasks.taskWrite(it, "p_pptr", it);
    k.listInit(it + k.image.offPath("task_struct", "wait_chldexit.task_list"));
    k.tasks.setComm(it, "swapper");
    k.arch.initThread(k, it);
    initMm(k, initMm);
    k.listInit(k.image.symbol("runqueue_head"));
    k.listInit(k.image.symbol("startup") + k.image.offPath("completion", "wait.head")); // COMPLETION_INITIALIZER
    onlineBootCpu(k, it);
  }

  /** INIT_MM: swapper_pg_dir as its pgd, mm_users 2 and mm_count 1. */
  private static void initMm(Kernel k, long initMm) {
    k.writePtr(initMm + k.image.off("mm_struct", "pgd"), PageTableRoot.initMmPgd(k));
    k.mm.registerInitMm(initMm);
    k.mem.write(initMm + k.image.off("mm_struct", "mm_users"), 4, 2);
    k.mem.write(initMm + k.image.off("mm_struct", "mm_count"), 4, 1);
  }

  /** The path init is executed from, the boot CPU online, and init_task as CPU 0's idle task. */
  private static void onlineBootCpu(Kernel k, long it) {
    k.mem.writeBytes(k.image.symbol("init_filename"), "/sbin/init\0".getBytes(StandardCharsets.US_ASCII));
    k.writePtr(k.image.symbol("__cpu_online_mask"), 1);
    k.rq.setIdleTask(0, it);
  }
}
