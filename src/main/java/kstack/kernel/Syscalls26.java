package kstack.kernel;

import java.util.Set;
import kstack.exec.Local;
import kstack.profile.Feature;

/**
 * The 2.6 tables (2.6.11, 2.6.32): sys_getpid in kernel/timer.c, do_no_restart_syscall (the
 * restart_block's fn while no interrupted call is to be restarted, kernel/signal.c), and no
 * generic fork or clone: 2.6's sys_fork and sys_clone take pt_regs and are the arch's.
 *
 * @param getpidSrc where sys_getpid is (kernel/timer.c@2.6.11:967-970, @2.6.32.67:1293-1296)
 * @param getpidText its return: current->tgid before pid namespaces, then task_tgid_vnr
 * @param noRestartSrc where do_no_restart_syscall is (kernel/signal.c)
 */
public record Syscalls26(String getpidSrc, String getpidText, String noRestartSrc)
    implements SyscallTable {
  enum L implements Local { param }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    Syscalls.buildGetpid(k, getpidSrc, getpidText);
    k.image.add(k.image.c("do_no_restart_syscall", noRestartSrc).params(L.param)
        .ret("return -EINTR: restart_block.fn while no interrupted call is to be restarted",
            x -> -4).build());
    Syscalls.buildFilesAndSleep(k);
    k.profile.module(Scheduler.class).buildYield(k);
    Exit.build(k);
  }
}
