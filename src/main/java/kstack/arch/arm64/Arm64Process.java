package kstack.arch.arm64;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * arch/arm64/kernel/process.c and the switch: __switch_to (a real C call from __schedule) calls
 * cpu_switch_to, which saves x19..x28, fp, sp and lr as pc in prev->thread.cpu_context and loads
 * next's; copy_thread; ret_from_fork; start_thread; the idle wfi (research arm64.md §6, §7).
 */
final class Arm64Process {
  enum L implements Local {
      args, childregs, clone_flags, next, p, pc, prev, regs, sp, stack_start, stk_sz
  }

  private Arm64Process() {}

  static final String[] CTX = {"x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",
      "x28"};

  static int ctx(Kernel k, String field) {
    return k.image.offPath("task_struct", "thread.cpu_context." + field);
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.ARM64_ENTRY_COMMON);
    boolean meta = k.profile.has(Feature.ARM64_FINAL_FRAME_RECORD);
    String proc = "arch/arm64/kernel/process.c";
    k.image.add(k.image.c("__switch_to", proc).params(L.prev, L.next)
        .step("fpsimd_thread_switch(next); tls_thread_switch(next); hw_breakpoint_thread_switch(next); "
            + "contextidr_thread_switch(next)", x -> { })
        .step("entry_task_switch(next): __this_cpu_write(__entry_task, next)",
            x -> x.write(k.perCpu("__entry_task", x.cpu().id()), x.get(L.next)))
        .step((v6 ? "ssbs/cntkctl/ptrauth/gcs/mte switches" : "uao_thread_switch(next)")
            + "; dsb(ish)", x -> { })
        .call("last = cpu_switch_to(prev, next)", "cpu_switch_to",
            Args.of(x -> x.get(L.prev), x -> x.get(L.next)))
        .ret("return last", kstack.exec.Exec::retval).build());
    RoutineBuilder s = k.image.asm("cpu_switch_to", "arch/arm64/kernel/entry.S")
        .step("mov x10, #THREAD_CPU_CONTEXT; add x8, x0, x10; mov x9, sp; stp x19..x28, "
            + "x29 (fp), x9 (sp), str lr (pc): into prev->thread.cpu_context", x -> {
              long prev = x.reg("x0");
              for (String r : CTX) {
                x.write(prev + ctx(k, r), x.reg(r));
              }
              x.write(prev + ctx(k, "fp"), x.fp());
              x.write(prev + ctx(k, "sp"), x.sp());
              x.write(prev + ctx(k, "pc"), x.reg("x30"));
            })
        .step("add x8, x1, x10; ldp x19..x28, x29, x9; ldr lr: from next->thread.cpu_context; "
            + "mov sp, x9", x -> {
              long next = x.reg("x1");
              for (String r : CTX) {
                x.set(r, x.read(next + ctx(k, r)));
              }
              x.setFp(x.read(next + ctx(k, "fp")));
              x.set("x30", x.read(next + ctx(k, "pc")));
              x.setSp(x.read(next + ctx(k, "sp")));
            })
        .step("msr sp_el0, x1: current = next", x -> x.set("sp_el0", x.reg("x1")))
        .step("ret: into next's __switch_to, or ret_from_fork", x -> x.ret(x.reg("x30")));
    k.image.add(s.build());
    buildCopyThread(k, k.profile.has(Feature.KERNEL_CLONE));
    RoutineBuilder rf = k.image.asm("ret_from_fork", "arch/arm64/kernel/entry.S")
        .call("bl schedule_tail (x0 = prev)", "schedule_tail", Args.of(x -> x.reg("x0")))
        .branchIf("user", "cbz x19, 1f", x -> x.reg("x19") == 0)
        .callVia("mov x0, x20; blr x19: a kernel thread's function", x -> x.reg("x19"),
            Args.of(x -> x.reg("x20")), null)
        .label("user");
    if (v6) {
      rf.call("get_current_task tsk; mov x0, sp; bl asm_exit_to_user_mode", "asm_exit_to_user_mode",
          Args.of(x -> x.sp()));
    } else {
      rf.step("get_thread_info tsk", x -> x.set("x28", x.reg("sp_el0")));
    }
    k.image.add(rf.step("b ret_to_user", x -> x.jumpTo(k.image.symbol("ret_to_user"))).build());
    k.image.add(k.image.c("start_thread", "arch/arm64/include/asm/processor.h [static inline]")
        .params(L.regs, L.pc, L.sp)
        .step("start_thread_common(regs, pc): memset(regs, 0, sizeof(*regs)); forget_syscall(regs); "
            + "regs->pc = pc" + (meta ? "; regs->stackframe.type = FRAME_META_TYPE_FINAL" : ""), x -> {
              long r = x.get(L.regs);
              k.mem.zero(r, 320);
              k.mem.write(r + Arm64Entry.S_SYSCALLNO, 4, 0xffffffffL);
              k.mem.write64(r + Arm64Entry.S_PC, x.get(L.pc));
              if (meta) {
                k.mem.write64(r + Arm64Entry.stackframe(k) + 16, 1);
              }
            })
        .step("regs->pstate = PSR_MODE_EL0t; regs->sp = sp", x -> {
          long r = x.get(L.regs);
          k.mem.write64(r + Arm64Entry.S_PSTATE, Arm64.PSR_MODE_EL0T);
          k.mem.write64(r + Arm64Entry.S_SP, x.get(L.sp));
        })
        .retVoid().build());
    k.image.add(k.image.c("arch_cpu_idle", v6 ? "arch/arm64/kernel/idle.c" : proc).params()
        .call("cpu_do_idle()", "cpu_do_idle", Args.inPlace())
        .step("local_irq_enable()", k.arch::irqEnable)
        .retVoid().build());
    k.image.add(k.image.asm("cpu_do_idle", v6 ? "arch/arm64/kernel/idle.c" : "arch/arm64/mm/proc.S")
        .step("dsb sy; wfi: the CPU waits for an interrupt", x -> {
          k.arch.irqEnable(x); // a pending IRQ ends wfi even when masked; it is taken right after
          if (!k.rq.needResched(k.current(x))) {
            x.stay();
          }
        })
        .step("ret", x -> x.ret(x.reg("x30"))).build());
  }

  /** CLONE_SETTLS (include/uapi/linux/sched.h): process.c@4.16.13:353-354, @6.19:484-485. */
  static final long CLONE_SETTLS = 0x00080000;

  /** copy_thread (process.c@4.16.13:309-370, @6.19:411-515). */
  private static void buildCopyThread(Kernel k, boolean v6) {
    RoutineBuilder b = v6 ? k.image.c("copy_thread", "arch/arm64/kernel/process.c").params(L.p, L.args)
        : k.image.c("copy_thread", "arch/arm64/kernel/process.c")
            .params(L.clone_flags, L.stack_start, L.stk_sz, L.p);
    b.locals(L.childregs)
        .step("childregs = task_pt_regs(p); memset(&p->thread.cpu_context, 0, "
            + "sizeof(struct cpu_context))", x -> {
              x.set(L.childregs, k.arch.taskPtRegs(k, x.get(L.p)));
              k.mem.zero(x.get(L.p) + ctx(k, "x19"), 104);
            });
    if (v6) {
      b.branchIf("kthread", "if (likely(!args->fn)) {", x -> k.cloneArg(x, x.get(L.args), "fn") != 0)
          .step("  *childregs = *current_pt_regs(); childregs->regs[0] = 0; "
              + "if (stack_start) childregs->sp = stack_start; if (clone_flags & CLONE_SETTLS) "
              + "p->thread.uw.tp_value = tls", x -> {
                userChild(k, x, k.cloneArg(x, x.get(L.args), "stack"));
                if ((k.cloneArg(x, x.get(L.args), "flags") & CLONE_SETTLS) != 0) {
                  k.tasks.taskWrite(x.get(L.p), "thread.tp_value", k.cloneArg(x, x.get(L.args), "tls"));
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
                k.mem.write64(r + Arm64Entry.stackframe(k) + 16, 1);
                long p = x.get(L.p);
                k.mem.write64(p + ctx(k, "x19"), k.cloneArg(x, x.get(L.args), "fn"));
                k.mem.write64(p + ctx(k, "x20"), k.cloneArg(x, x.get(L.args), "fn_arg"));
              })
          .label("both")
          .step("cpu_context.pc = ret_from_fork; cpu_context.sp = childregs; "
              + "cpu_context.fp = &childregs->stackframe", x -> {
                long p = x.get(L.p);
                k.mem.write64(p + ctx(k, "pc"), k.image.symbol("ret_from_fork"));
                k.mem.write64(p + ctx(k, "sp"), x.get(L.childregs));
                k.mem.write64(p + ctx(k, "fp"), x.get(L.childregs) + Arm64Entry.stackframe(k));
              });
    } else {
      b.branchIf("kthread", "if (likely(!(p->flags & PF_KTHREAD))) {",
              x -> k.tasks.isKthread(x.get(L.p)))
          .step("  *childregs = *current_pt_regs(); childregs->regs[0] = 0; "
              + "if (stack_start) childregs->sp = stack_start; if (clone_flags & CLONE_SETTLS) "
              + "p->thread.tp_value = childregs->regs[3] (tls)", x -> {
                userChild(k, x, x.get(L.stack_start));
                if ((x.get(L.clone_flags) & CLONE_SETTLS) != 0) {
                  k.tasks.taskWrite(x.get(L.p), "thread.tp_value",
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
                k.mem.write64(p + ctx(k, "x19"), x.get(L.stack_start));
                k.mem.write64(p + ctx(k, "x20"), x.get(L.stk_sz));
              })
          .label("both")
          .step("cpu_context.pc = ret_from_fork; cpu_context.sp = childregs (fp stays 0)", x -> {
            long p = x.get(L.p);
            k.mem.write64(p + ctx(k, "pc"), k.image.symbol("ret_from_fork"));
            k.mem.write64(p + ctx(k, "sp"), x.get(L.childregs));
          });
    }
    k.image.add(b.ret("return 0", x -> 0).build());
  }

  private static void userChild(Kernel k, kstack.exec.Exec x, long stack) {
    long r = x.get(L.childregs);
    k.mem.copy(r, k.arch.taskPtRegs(k, k.current(x)), 320);
    k.mem.write64(r, 0);
    if (stack != 0) {
      k.mem.write64(r + Arm64Entry.S_SP, stack);
    }
  }
}
