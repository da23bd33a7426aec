package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16: el0_svc → el0_svc_naked → blr sys_call_table[nr] in assembly, ret_fast_syscall and
 * work_pending → do_notify_resume on the way out (entry.S@4.16.13:631-959, signal.c); handlers are
 * SyS_NAME with the sys_NAME alias.
 */
public final class SvcSysCallTable416 implements SyscallDispatch {
  enum L implements Local { regs, thread_flags }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public boolean ptregsWrappers() {
    return false;
  }

  @Override
  public void build(Kernel k, Arm64Entry e) {
    String entry = Arm64Entry.ENTRY;
    k.image.add(k.image.asm("el0_svc", entry)
        .step("ldr x16, [tsk, #TSK_TI_FLAGS]; adrp stbl, sys_call_table; mov wscno, w8; "
            + "mov wsc_nr, #__NR_syscalls", x -> {
              x.set(Regs.x26, x.reg(Regs.x8));
              x.set(Regs.x25, 292);
              e.entered(x, x.sp());
            })
        .globalLabel("el0_svc_naked")
        .step("stp x0, xscno, [sp, #S_ORIG_X0]: orig_x0 and syscallno", x -> {
          x.write(x.sp() + Arm64Entry.S_ORIG_X0, x.reg(Regs.x0));
          x.write(x.sp() + Arm64Entry.S_SYSCALLNO, x.reg(Regs.x26));
        })
        .step("enable_daif", k.arch::irqEnable)
        .callVia("cmp wscno, wsc_nr; mask_nospec64; ldr x16, [stbl, xscno, lsl #3]; blr x16",
            x -> e.target(x.reg(Regs.x26)), Args.of(x -> x.reg(Regs.x0), x -> x.reg(Regs.x1), x -> x.reg(Regs.x2),
                x -> x.reg(Regs.x3), x -> x.reg(Regs.x4), x -> x.reg(Regs.x5)), null)
        .step("b ret_fast_syscall", k.image.jump("ret_fast_syscall")).build());
    k.image.add(k.image.asm("ret_fast_syscall", entry)
        .step("disable_daif; str x0, [sp, #S_X0]: the result into pt_regs", x -> {
          k.arch.irqDisable(x);
          x.write(x.sp(), x.reg(Regs.x0));
        })
        .step("ldr x1, [tsk, #TSK_TI_FLAGS]; _TIF_WORK_MASK? b.ne work_pending; else "
            + "b finish_ret_to_user", x -> x.jumpTo(k.rq.needResched(k.current(x))
                ? k.image.symbol("work_pending") : k.image.symbol("finish_ret_to_user"))).build());
    k.image.add(k.image.asm("work_pending", entry)
        .call("mov x0, sp; bl do_notify_resume", "do_notify_resume",
            Args.of(x -> x.sp(), x -> 0))
        .step("b finish_ret_to_user", k.image.jump("finish_ret_to_user")).build());
    k.image.add(k.image.c("do_notify_resume", "arch/arm64/kernel/signal.c").params(L.regs, L.thread_flags)
        .label("loop")
        .branchIf("done", "do { if (thread_flags & _TIF_NEED_RESCHED) {",
            x -> !k.rq.needResched(k.current(x)))
        .step("  local_daif_restore(DAIF_PROCCTX_NOIRQ)", x -> { })
        .call("  schedule()", "schedule", Args.inPlace())
        .jump("loop", "} } while (thread_flags & _TIF_WORK_MASK)")
        .label("done")
        .retVoid().build());
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params()
        .ret("return -ENOSYS", x -> -38).build());
  }
}
