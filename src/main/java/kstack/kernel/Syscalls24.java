package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * The 2.4.22 system calls the stories use (docs/research/i386-and-2.x.md §1.7): getpid, read,
 * write and pipe through the profile's {@link Vfs} (Vfs24), nanosleep through its
 * {@link Nanosleep} (TimerBh24, sleeping in schedule_timeout).
 */
public final class Syscalls24 implements SyscallTable {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    Syscalls.buildGetpid(k, "kernel/timer.c",
        "return current->tgid (kernel/timer.c@2.4.22:753-755)");
    Syscalls.buildFilesAndSleep(k);
  }
}
