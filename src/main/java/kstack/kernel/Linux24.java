package kstack.kernel;

/**
 * The generic kernel of the 2.4 generation (TASK_UNION): its scheduler, process creation, system
 * calls, boot, bottom halves and the demo module, each in its 2.4.22 shape. The exec chain from
 * do_execve down (fs/exec.c@2.4.22:810-954) has the same frames as 2.6.32's and is shared.
 */
final class Linux24 {
  private Linux24() {}

  static void build(Kernel k) {
    Sched.build(k);
    Fork.build(k);
    k.profile.module(TaskExit.class).build(k);
    Syscalls.build(k);
    Execve.build(k);
    InitMain.build(k);
    Irq.build(k);
    Kthread.build(k);
  }
}
