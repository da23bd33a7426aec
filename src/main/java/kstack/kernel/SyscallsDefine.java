package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * The tables from 4.x on: sys_getpid in kernel/sys.c (return task_tgid_vnr(current)), and fork and
 * clone generic SYSCALL_DEFINEs of kernel/fork.c (the profile's process creation module says
 * whether they reach _do_fork or kernel_clone).
 */
public record SyscallsDefine() implements SyscallTable {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    Syscalls.buildGetpid(k, "kernel/sys.c", "return task_tgid_vnr(current)");
    Syscalls.buildFilesAndSleep(k);
    Clone.build(k);
    k.profile.module(Scheduler.class).buildYield(k);
    Exit.build(k);
  }
}
