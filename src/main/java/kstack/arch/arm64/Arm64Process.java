package kstack.arch.arm64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * arch/arm64/kernel/process.c and the switch as every generation has them: __switch_to (a real C
 * call from __schedule) calls cpu_switch_to, which saves x19..x28, fp, sp and lr as pc in
 * prev->thread.cpu_context and loads next's; ret_from_fork; start_thread; the idle wfi (research
 * arm64.md §6, §7). copy_thread and what else a generation changed: its {@link CopyThread}.
 */
final class Arm64Process {
  enum L implements Local { childregs, next, p, pc, prev, regs, sp }

  private Arm64Process() {}

  static final String PROCESS = "arch/arm64/kernel/process.c";

  /** CLONE_SETTLS (include/uapi/linux/sched.h): process.c@4.16.13:353-354, @6.19:484-485. */
  static final long CLONE_SETTLS = 0x00080000;

  static void build(Kernel k, CopyThread gen, FrameRecord frames) {
    kstack.kernel.LinkedAddress entryTask = k.perCpuRef("__entry_task");
    k.image.add(k.image.c("__switch_to", PROCESS).params(L.prev, L.next)
        .step("fpsimd_thread_switch(next); tls_thread_switch(next); hw_breakpoint_thread_switch(next); "
            + "contextidr_thread_switch(next)", x -> { })
        .step("entry_task_switch(next): __this_cpu_write(__entry_task, next)",
            x -> x.write(entryTask.get() + k.perCpuOffset(x.cpu().id()), x.get(L.next)))
        .step(gen.switchExtras() + "; dsb(ish)", x -> { })
        .call("last = cpu_switch_to(prev, next)", "cpu_switch_to",
            Args.of(x -> x.get(L.prev), x -> x.get(L.next)))
        .ret("return last", Exec::retval).build());
    buildCpuSwitchTo(k);
    gen.buildCopyThread(k);
    RoutineBuilder rf = k.image.asm("ret_from_fork", "arch/arm64/kernel/entry.S")
        .call("bl schedule_tail (x0 = prev)", "schedule_tail", Args.of(x -> x.reg(Regs.x0)))
        .branchIf("user", "cbz x19, 1f", x -> x.reg(Regs.x19) == 0)
        .callVia("mov x0, x20; blr x19: a kernel thread's function", x -> x.reg(Regs.x19),
            Args.of(x -> x.reg(Regs.x20)), null)
        .label("user");
    gen.retFromForkToUser(k, rf);
    k.image.add(rf.step("b ret_to_user", k.image.jump("ret_to_user")).build());
    buildStartThread(k, frames);
    buildIdle(k, gen);
  }

  /** cpu_switch_to (entry.S): prev's callee-saved registers out, next's in, SP_EL0 = next. */
  private static void buildCpuSwitchTo(Kernel k) {
    k.image.add(k.image.asm("cpu_switch_to", "arch/arm64/kernel/entry.S")
        .step("mov x10, #THREAD_CPU_CONTEXT; add x8, x0, x10; mov x9, sp; stp x19..x28, "
            + "x29 (fp), x9 (sp), str lr (pc): into prev->thread.cpu_context", x -> {
              long prev = x.reg(Regs.x0);
              for (CpuContext r : CpuContext.CALLEE_SAVED) {
                x.write(prev + r.off(k), x.reg(Regs.of(r.name())));
              }
              x.write(prev + CpuContext.fp.off(k), x.fp());
              x.write(prev + CpuContext.sp.off(k), x.sp());
              x.write(prev + CpuContext.pc.off(k), x.reg(Regs.x30));
            })
        .step("add x8, x1, x10; ldp x19..x28, x29, x9; ldr lr: from next->thread.cpu_context; "
            + "mov sp, x9", x -> {
              long next = x.reg(Regs.x1);
              for (CpuContext r : CpuContext.CALLEE_SAVED) {
                x.set(Regs.of(r.name()), x.read(next + r.off(k)));
              }
              x.setFp(x.read(next + CpuContext.fp.off(k)));
              x.set(Regs.x30, x.read(next + CpuContext.pc.off(k)));
              x.setSp(x.read(next + CpuContext.sp.off(k)));
            })
        .step("msr sp_el0, x1: current = next", x -> x.set(Regs.sp_el0, x.reg(Regs.x1)))
        .step("ret: into next's __switch_to, or ret_from_fork", x -> x.ret(x.reg(Regs.x30))).build());
  }

  /** start_thread (asm/processor.h): the user task's pt_regs for its first ERET. */
  private static void buildStartThread(Kernel k, FrameRecord frames) {
    k.image.add(k.image.c("start_thread", "arch/arm64/include/asm/processor.h [static inline]")
        .params(L.regs, L.pc, L.sp)
        .step("start_thread_common(regs, pc): memset(regs, 0, sizeof(*regs)); forget_syscall(regs); "
            + "regs->pc = pc" + frames.startThreadText(), x -> {
              long r = x.get(L.regs);
              k.mem.zero(r, 320);
              k.mem.write(r + Arm64Entry.S_SYSCALLNO, 4, 0xffffffffL);
              k.mem.write64(r + Arm64Entry.S_PC, x.get(L.pc));
              frames.startThreadRecord(k, r);
            })
        .step("regs->pstate = PSR_MODE_EL0t; regs->sp = sp", x -> {
          long r = x.get(L.regs);
          k.mem.write64(r + Arm64Entry.S_PSTATE, Arm64.PSR_MODE_EL0T);
          k.mem.write64(r + Arm64Entry.S_SP, x.get(L.sp));
        })
        .retVoid().build());
  }

  /** arch_cpu_idle → cpu_do_idle: wfi. */
  private static void buildIdle(Kernel k, CopyThread gen) {
    k.image.add(k.image.c("arch_cpu_idle", gen.archCpuIdleSource()).params()
        .call("cpu_do_idle()", "cpu_do_idle", Args.inPlace())
        .step("local_irq_enable()", k.arch::irqEnable)
        .retVoid().build());
    k.image.add(k.image.asm("cpu_do_idle", gen.cpuDoIdleSource())
        .step("dsb sy; wfi: the CPU waits for an interrupt", x -> {
          k.arch.irqEnable(x); // a pending IRQ ends wfi even when masked; it is taken right after
          if (!k.rq.needResched(k.current(x))) {
            x.stay();
          }
        })
        .step("ret", x -> x.ret(x.reg(Regs.x30))).build());
  }

  /**
   * copy_thread's first step (process.c@4.16.13:309-370, @6.19:411-515); the module's builder
   * declares p and childregs (one routine's handles come from one enum).
   */
  static RoutineBuilder copyThreadStart(Kernel k, RoutineBuilder b) {
    return b.step("childregs = task_pt_regs(p); memset(&p->thread.cpu_context, 0, "
            + "sizeof(struct cpu_context))", x -> {
              x.set(L.childregs, k.arch.taskPtRegs(k, x.get(L.p)));
              k.mem.zero(x.get(L.p) + CpuContext.x19.off(k), 104);
            });
  }

  /** A user child: current's pt_regs, x0 = 0, and the new stack if one was given. */
  static void userChild(Kernel k, Exec x, long stack) {
    long r = x.get(L.childregs);
    k.mem.copy(r, k.arch.taskPtRegs(k, k.current(x)), 320);
    k.mem.write64(r, 0);
    if (stack != 0) {
      k.mem.write64(r + Arm64Entry.S_SP, stack);
    }
  }
}
