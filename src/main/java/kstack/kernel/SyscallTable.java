package kstack.kernel;

import kstack.profile.Module;

/**
 * The generic system calls as one generation's table has them, added in the generation's order:
 * getpid (in kernel/timer.c until 3.x moved it to kernel/sys.c), read, write and pipe through the
 * profile's {@link Vfs}, nanosleep through its {@link Nanosleep}, and, where the generation has them
 * outside the arch, fork and clone, sched_yield and exit.
 */
public interface SyscallTable extends Module {
  /** Adds the generation's generic system calls to the image, in its order. */
  void build(Kernel k);
}
