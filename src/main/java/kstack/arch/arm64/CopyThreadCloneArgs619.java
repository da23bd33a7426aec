package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.profile.Feature;

/**
 * 6.19: copy_thread(p, args) reads struct kernel_clone_args; a kernel thread is args->fn, its
 * pt_regs get PSR_IL_BIT and a FINAL frame record, and every child's cpu_context.fp points at
 * childregs->stackframe (process.c@6.19:411-515); ret_from_fork leaves through
 * asm_exit_to_user_mode; the idle routines live in idle.c.
 */
public final class CopyThreadCloneArgs619 implements CopyThread {
  enum L implements Local { args, childregs, p }

  private static final String IDLE = "arch/arm64/kernel/idle.c";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KERNEL_CLONE, Feature.ARM64_FINAL_FRAME_RECORD);
  }

  @Override
  public String switchExtras() {
    return "ssbs/cntkctl/ptrauth/gcs/mte switches";
  }

  @Override
  public void buildCopyThread(Kernel k) {
    RoutineBuilder b = k.image.c("copy_thread", Arm64Process.PROCESS).params(L.p, L.args)
        .locals(L.childregs);
    Arm64Process.copyThreadStart(k, b)
        .branchIf("kthread", "if (likely(!args->fn)) {", x -> k.cloneArg(x, x.get(L.args), "fn") != 0)
        .step("  *childregs = *current_pt_regs(); childregs->regs[0] = 0; "
            + "if (stack_start) childregs->sp = stack_start; if (clone_flags & CLONE_SETTLS) "
            + "p->thread.uw.tp_value = tls", x -> {
              Arm64Process.userChild(k, x, k.cloneArg(x, x.get(L.args), "stack"));
              if ((k.cloneArg(x, x.get(L.args), "flags") & Arm64Process.CLONE_SETTLS) != 0) {
                k.tasks.taskWrite(x.get(L.p), TaskMember.thread_tp_value, k.cloneArg(x, x.get(L.args), "tls"));
              }
            })
        .jump("both", "} else {")
        .label("kthread")
        .step("  memset(childregs, 0); childregs->pstate = PSR_MODE_EL1h | PSR_IL_BIT; "
            + "childregs->stackframe.type = FRAME_META_TYPE_FINAL; cpu_context.x19 = args->fn; "
            + "cpu_context.x20 = args->fn_arg", x -> {
              long r = x.get(L.childregs);
              k.mem.zero(r, 320);
              k.mem.write64(r + Arm64Entry.S_PSTATE, Arm64.PSR_MODE_EL1H | Arm64.PSR_IL_BIT);
              k.mem.write64(r + Arm64Entry.stackframe(k) + 16, FrameRecord.META_FINAL);
              long p = x.get(L.p);
              k.mem.write64(p + CpuContext.x19.off(k), k.cloneArg(x, x.get(L.args), "fn"));
              k.mem.write64(p + CpuContext.x20.off(k), k.cloneArg(x, x.get(L.args), "fn_arg"));
            })
        .label("both")
        .step("cpu_context.pc = ret_from_fork; cpu_context.sp = childregs; "
            + "cpu_context.fp = &childregs->stackframe", x -> {
              long p = x.get(L.p);
              k.mem.write64(p + CpuContext.pc.off(k), k.image.symbol("ret_from_fork"));
              k.mem.write64(p + CpuContext.sp.off(k), x.get(L.childregs));
              k.mem.write64(p + CpuContext.fp.off(k),
                  x.get(L.childregs) + Arm64Entry.stackframe(k));
            });
    k.image.add(b.ret("return 0", x -> 0).build());
  }

  @Override
  public void retFromForkToUser(Kernel k, RoutineBuilder rf) {
    rf.call("get_current_task tsk; mov x0, sp; bl asm_exit_to_user_mode", "asm_exit_to_user_mode",
        Args.of(x -> x.sp()));
  }

  @Override
  public String archCpuIdleSource() {
    return IDLE;
  }

  @Override
  public String cpuDoIdleSource() {
    return IDLE;
  }
}
