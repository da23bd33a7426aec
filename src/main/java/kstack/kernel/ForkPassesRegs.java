package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.profile.Feature;
import java.util.Set;

/**
 * Process creation in the generations that carry the parent's pt_regs down to copy_thread
 * (do_fork(clone_flags, stack_start, regs, ...); kernel/fork.c@2.4.22:635-636, @2.6.11, @2.6.32;
 * docs/research/i386-and-2.x.md §1.5, §2.5, §3.5): the task's stack comes with its thread_info
 * block (or, on 2.4, its task_union); the arch supplies sys_fork and sys_clone.
 */
abstract class ForkPassesRegs implements ProcessCreation {
  enum L implements Local { regs, task }

  static final String SRC = Fork.SRC;

  /** include/linux/sched.h@2.6.32.67:1737-1743 (0x2 is PF_IDLE from 4.10 on). */
  static final long PF_STARTING = 0x2;
  static final long PF_FORKNOEXEC = 0x40;
  static final long PF_SUPERPRIV = 0x100;

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.FORK_PASSES_REGS);
  }

  /** sys_fork and sys_clone take the caller's pt_regs: the arch builds them. */
  @Override
  public void buildCloneSyscalls(Kernel k) {
  }

  /** clone3 came in 5.3. */
  @Override
  public void buildClone3(Kernel k) {
  }

  /** fork_idle: copy_process(CLONE_VM, 0, idle_regs(&regs), 0, NULL, &init_struct_pid, 0). */
  @Override
  public void buildForkIdle(Kernel k) {
    Fork.buildForkIdle(k, fi -> fi.localArea(L.regs, k.image.struct("pt_regs").size())
        .step("struct pt_regs regs; idle_regs(&regs): memset(&regs, 0, sizeof(regs))",
            x -> k.mem.zero(x.addr(L.regs), k.image.struct("pt_regs").size()))
        .callInto(L.task, "task = copy_process(CLONE_VM, 0, idle_regs(&regs), 0, NULL, "
            + "&init_struct_pid, 0)", "copy_process",
            Args.of(x -> Kernel.CLONE_VM, x -> 0, x -> x.addr(L.regs), x -> 0, x -> 0, x -> -1, x -> 0)));
  }
}
