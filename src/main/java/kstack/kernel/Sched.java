package kstack.kernel;

/**
 * Where the kernel's build order asks for the scheduler: the profile's {@link Scheduler} module
 * (kernel/sched/core.c and its ancestors) adds its routines at this point of the image.
 */
final class Sched {
  private Sched() {}

  /** TASK_NEW (include/linux/sched.h@4.16.13): a forked task not yet woken. */
  static final long TASK_NEW = SchedCommon.TASK_NEW;

  static void build(Kernel k) {
    k.profile.module(Scheduler.class).build(k);
  }
}
