package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * The generic kernel of 2.6 on (kernel/sched, kernel/fork.c, the syscalls, kernel/kthread.c,
 * kernel/irq, init/main.c), the arch's routines, then the system calls added for threads and the
 * C library's exit() and nanosleep(), linked after the rest so that the routines before them keep
 * their addresses, and the user program.
 */
public final class Routines26On implements KernelRoutines {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    Sched.build(k);
    Fork.build(k);
    Syscalls.build(k);
    Kthread.build(k);
    Irq.build(k);
    InitMain.build(k);
    k.arch.buildRoutines(k);
    Exit.buildExitGroup(k);
    PosixTimers.build(k);
    Clone.buildClone3(k);
    UserProgram.build(k);
  }
}
