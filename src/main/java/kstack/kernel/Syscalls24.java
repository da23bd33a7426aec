package kstack.kernel;

/**
 * The 2.4.22 system calls the stories use (docs/research/i386-and-2.x.md §1.7): getpid, read,
 * write and pipe through the profile's {@link Vfs} (Vfs24), nanosleep through its
 * {@link Timers} (TimerBh24, sleeping in schedule_timeout).
 */
final class Syscalls24 {
  private Syscalls24() {}

  static void build(Kernel k) {
    k.add(Syscalls.entry(k, "getpid", "kernel/timer.c")
        .ret("return current->tgid (kernel/timer.c@2.4.22:753-755)",
            x -> k.taskRead(k.current(x), "tgid")).build());
    Vfs vfs = k.profile.module(Vfs.class);
    vfs.buildReadWrite(k);
    vfs.buildPipe(k);
    k.profile.module(Timers.class).buildNanosleep(k);
  }
}
