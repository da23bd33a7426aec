package kstack.kernel;

import java.nio.charset.StandardCharsets;

/**
 * INIT_TASK (init/init_task.c; include/linux/init_task.h before 4.x), init_mm, and the statically
 * initialised data the mechanisms use (kthread_create_list, kthreadd_done, the boot CPU in
 * cpu_online_mask): what the image holds before the first instruction runs. The task's members
 * are the generation's ({@link TaskModel#initTask}).
 */
final class InitTask {
  private InitTask() {}

  static void initData(Kernel k, TaskModel model) {
    long it = k.image.symbol("init_task");
    long initMm = k.image.symbol("init_mm");
    model.initTask(k, it, initMm);
    k.tasks.setComm(it, "swapper");
    k.arch.initThread(k, it);
    // INIT_MM: swapper_pg_dir as its pgd, mm_users 2 and mm_count 1
    k.writePtr(initMm + k.mm.off(MmMember.pgd), PageTableRoot.initMmPgd(k));
    k.mm.registerInitMm(initMm);
    k.mem.write(initMm + k.mm.off(MmMember.mm_users), 4, 2);
    k.mem.write(initMm + k.mm.off(MmMember.mm_count), 4, 1);
    model.initStaticData(k);
    k.mem.writeBytes(k.image.symbol("init_filename"),
        "/sbin/init\0".getBytes(StandardCharsets.US_ASCII));
    k.writePtr(k.image.symbol("__cpu_online_mask"), 1);
    k.rq.setIdleTask(0, it);
  }
}
