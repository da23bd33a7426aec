package kstack.kernel;

import kstack.exec.Exec;

/**
 * The 2.4.22 system calls the stories use (docs/research/i386-and-2.x.md §1.7): getpid, read,
 * write and pipe through the profile's {@link Vfs} (Vfs24), nanosleep sleeping in
 * schedule_timeout.
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
    buildNanosleep(k);
  }

  private static void buildNanosleep(Kernel k) {
    buildNanosleep(k, "kernel/timer.c");
  }

  /** sys_nanosleep (kernel/timer.c@2.4.22:836-875, @2.6.11:1159-1190: the same path). */
  static void buildNanosleep(Kernel k, String src) {
    k.add(Syscalls.entry(k, "nanosleep", src, "rqtp", "rmtp").locals("expire")
        .localArea("t", 8)
        .step("copy_from_user(&t, rqtp, sizeof(struct timespec)); (a SCHED_OTHER task never "
            + "busy-waits); expire = timespec_to_jiffies(&t) + (t.tv_sec || t.tv_nsec)", x -> {
              long t = x.localAddress("t");
              x.write(t, x.read(x.local("rqtp")));
              x.write(t + 4, x.read(x.local("rqtp") + 4));
              long ns = x.read(t) * 1_000_000_000L + x.read(t + 4);
              long jif = (ns + Sched24.jiffyNs(k) - 1) / Sched24.jiffyNs(k);
              x.setLocal("expire", jif + (ns != 0 ? 1 : 0));
            })
        .step("current->state = TASK_INTERRUPTIBLE", x -> {
          long cur = k.current(x);
          k.setState(cur, Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new kstack.trace.Event.Blocked(x.cpu().id(), k.pid(cur),
              "nanosleep for " + x.local("expire") + " jiffies"));
        })
        .callInto("expire", "expire = schedule_timeout(expire)", "schedule_timeout",
            x -> new long[] {x.local("expire")})
        .ret("if (expire) return -EINTR (with the rest in *rmtp); return 0",
            x -> x.local("expire") != 0 ? -4 : 0).build());
  }
}
