package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.profile.Feature;

/**
 * 4.16: copy_thread(clone_flags, stack_start, stk_sz, p) tells a kernel thread by PF_KTHREAD and
 * finds its function and argument in stack_start and stk_sz (process.c@4.16.13:309-370); the
 * child's cpu_context.fp stays 0; ret_from_fork only reloads tsk before ret_to_user.
 */
public final class CopyThreadPfKthread416 implements CopyThread {
  enum L implements Local { childregs, clone_flags, p, stack_start, stk_sz }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.DO_FORK);
  }

  @Override
  public String switchExtras() {
    return "uao_thread_switch(next)";
  }

  @Override
  public void buildCopyThread(Kernel k) {
    // int copy_thread(unsigned long clone_flags, unsigned long stack_start, unsigned long stk_sz,
    // struct task_struct *p): arch/arm64/kernel/process.c@4.16.13:309-310
    RoutineBuilder b = k.image.c("copy_thread", Arm64Process.PROCESS)
        .params(L.clone_flags, L.stack_start, L.stk_sz, L.p)
        .locals(L.childregs);
    Arm64Process.copyThreadStart(k, b)
        .branchIf("kthread", "if (likely(!(p->flags & PF_KTHREAD))) {",
            x -> k.tasks.isKthread(x.get(L.p)))
        .step("  *childregs = *current_pt_regs(); childregs->regs[0] = 0; "
            + "if (stack_start) childregs->sp = stack_start; if (clone_flags & CLONE_SETTLS) "
            + "p->thread.tp_value = childregs->regs[3] (tls)", x -> {
              Arm64Process.userChild(k, x, x.get(L.stack_start));
              if ((x.get(L.clone_flags) & Arm64Process.CLONE_SETTLS) != 0) {
                k.tasks.taskWrite(x.get(L.p), TaskMember.thread_tp_value,
                    k.mem.read64(x.get(L.childregs) + 3 * 8));
              }
            })
        .jump("both", "} else {")
        .label("kthread")
        .step("  memset(childregs, 0); childregs->pstate = PSR_MODE_EL1h; "
            + "cpu_context.x19 = stack_start (fn); cpu_context.x20 = stk_sz (arg)", x -> {
              long r = x.get(L.childregs);
              k.mem.zero(r, 320);
              k.mem.write64(r + Arm64Entry.S_PSTATE, Arm64.PSR_MODE_EL1H);
              long p = x.get(L.p);
              k.mem.write64(p + CpuContext.x19.off(k), x.get(L.stack_start));
              k.mem.write64(p + CpuContext.x20.off(k), x.get(L.stk_sz));
            })
        .label("both")
        .step("cpu_context.pc = ret_from_fork; cpu_context.sp = childregs (fp stays 0)", x -> {
          long p = x.get(L.p);
          k.mem.write64(p + CpuContext.pc.off(k), k.image.symbol("ret_from_fork"));
          k.mem.write64(p + CpuContext.sp.off(k), x.get(L.childregs));
        });
    k.image.add(b.ret("return 0", x -> 0).build());
  }

  @Override
  public void retFromForkToUser(Kernel k, RoutineBuilder rf) {
    rf.step("get_thread_info tsk", x -> x.set(Regs.x28, x.reg(Regs.sp_el0)));
  }

  @Override
  public String archCpuIdleSource() {
    return Arm64Process.PROCESS;
  }

  @Override
  public String cpuDoIdleSource() {
    return "arch/arm64/mm/proc.S";
  }
}
