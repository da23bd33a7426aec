package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * The tables from 4.x on: sys_getpid in kernel/sys.c (return task_tgid_vnr(current)), and fork and
 * clone generic SYSCALL_DEFINEs of kernel/fork.c, reaching _do_fork (4.16) or kernel_clone (6.x).
 *
 * @param kernelClone whether clone reaches kernel_clone (5.10 on) rather than _do_fork
 */
public record SyscallsDefine(boolean kernelClone) implements SyscallTable {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    Syscalls.buildGetpid(k, "kernel/sys.c", "return task_tgid_vnr(current)");
    Syscalls.buildFilesAndSleep(k);
    Clone.build(k, kernelClone);
    k.profile.module(Scheduler.class).buildYield(k);
    Exit.build(k);
  }
}
