package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;

/**
 * arch/x86/kernel/process_32.c, process.c and asm/system.h at 2.6.32 (docs/research/i386-and-2.x.md
 * §3.4-3.6): switch_to inline in schedule() saving thread.sp and thread.ip, __switch_to loading
 * TSS.sp0 and current_task, copy_thread (thread.ip = ret_from_fork, thread.sp0 = top - 8),
 * kernel_thread with its forged pt_regs, the pt_regs-taking sys_fork, sys_clone and sys_execve,
 * start_thread, and cpu_idle.
 */
final class I386Process2632 {
  enum L implements Local {
      arg, childregs, clone_flags, error, filename, flags, fn, newsp, next, next_p, p, prev, prev_p,
      regs, sp, unused
  }

  private I386Process2632() {}

  static final String SRC = "arch/x86/kernel/process_32.c";
  static final String RESUME = "switch_to_1";

  /** The switch_to macro (arch/x86/include/asm/system.h@2.6.32:47-93) as steps of schedule(). */
  static void inlineSwitch(Kernel k, RoutineBuilder b) {
    b.step("  switch_to(prev, next, prev) [inline asm]: eax = prev, edx = next; pushfl; pushl %ebp",
            x -> {
              x.set(Regs.eax, x.get(L.prev));
              x.set(Regs.edx, x.get(L.next));
              x.push(x.reg(Regs.eflags));
              x.push(x.fp());
            })
        .step("  movl %esp, prev->thread.sp; movl next->thread.sp, %esp: next's stack", x -> {
          k.tasks.taskWrite(x.reg(Regs.eax), TaskMember.thread_sp, x.sp());
          x.setSp(k.tasks.taskRead(x.reg(Regs.edx), TaskMember.thread_sp));
        })
        .step("  movl $1f, prev->thread.ip; pushl next->thread.ip: where next resumes", x -> {
          k.tasks.taskWrite(x.reg(Regs.eax), TaskMember.thread_ip, x.routine().address(x.routine().label(RESUME)));
          x.push(k.tasks.taskRead(x.reg(Regs.edx), TaskMember.thread_ip));
        })
        .step("  __switch_canary: stack_canary = next->stack_canary; jmp __switch_to", x -> {
          x.write(I386Entry.fs(k, x, "stack_canary") + 20, k.tasks.taskRead(x.reg(Regs.edx), TaskMember.stack_canary));
          x.jumpTo(k.image.symbol("__switch_to"));
        })
        .label(RESUME)
        .step("  1: popl %ebp; popfl: this task again, with last = prev in eax", x -> {
          x.setFp(x.pop());
          x.set(Regs.eflags, x.pop());
        });
  }

  static void build(Kernel k) {
    k.image.add(k.image.c("__switch_to", SRC).params(L.prev_p, L.next_p)
        .step("__unlazy_fpu(prev_p)", x -> { })
        .step("load_sp0(tss, next): tss->x86_tss.sp0 = next->thread.sp0, where int $0x80 and "
            + "interrupts from user mode will land", x -> x.write(I386Entry.fs(k, x, "init_tss")
                + Tss.sp0.off(k), k.tasks.taskRead(x.get(L.next_p), TaskMember.thread_sp0)))
        .step("lazy_save_gs(prev->gs); load_TLS(next, cpu); lazy_load_gs(next->gs)", x -> { })
        .step("percpu_write(current_task, next_p)",
            x -> x.write(I386Entry.fs(k, x, "current_task"), x.get(L.next_p)))
        .ret("return prev_p: ret pops next->thread.ip", x -> x.get(L.prev_p)).build());
    k.image.add(k.image.c("copy_thread", SRC).params(L.clone_flags, L.sp, L.unused, L.p, L.regs)
        .locals(L.childregs)
        .step("childregs = task_pt_regs(p): the top of p's stack, less 8, less sizeof(pt_regs)",
            x -> x.set(L.childregs, k.arch.taskPtRegs(k, x.get(L.p))))
        .step("*childregs = *regs; childregs->ax = 0; childregs->sp = sp", x -> {
          long r = x.get(L.childregs);
          k.mem.copy(r, x.get(L.regs), 68);
          x.write(r + PtRegs.ax.off(k), 0);
          x.write(r + PtRegs.sp.off(k), x.get(L.sp));
        })
        .step("p->thread.sp = (unsigned long) childregs; p->thread.sp0 = (unsigned long) "
            + "(childregs + 1); p->thread.ip = (unsigned long) ret_from_fork", x -> {
              long p = x.get(L.p);
              k.tasks.taskWrite(p, TaskMember.thread_sp, x.get(L.childregs));
              k.tasks.taskWrite(p, TaskMember.thread_sp0, x.get(L.childregs) + 68);
              k.tasks.taskWrite(p, TaskMember.thread_ip, k.image.symbol("ret_from_fork"));
            })
        .ret("task_user_gs(p) = get_user_gs(regs); return 0 (no io bitmap, no CLONE_SETTLS)",
            x -> 0).build());
    k.image.add(k.image.c("kernel_thread", SRC).params(L.fn, L.arg, L.flags)
        .localArea(L.regs, 68)
        .step("struct pt_regs regs (on this stack); memset(&regs, 0, sizeof(regs)); regs.bx = fn; "
            + "regs.dx = arg; regs.ds = regs.es = __USER_DS; regs.fs = __KERNEL_PERCPU; regs.gs = "
            + "__KERNEL_STACK_CANARY; regs.orig_ax = -1; regs.ip = kernel_thread_helper; "
            + "regs.cs = __KERNEL_CS; regs.flags = X86_EFLAGS_IF | X86_EFLAGS_SF | X86_EFLAGS_PF | 0x2",
            x -> {
              long r = x.addr(L.regs);
              k.mem.zero(r, 68);
              put(k, x, r, PtRegs.bx, x.get(L.fn));
              put(k, x, r, PtRegs.dx, x.get(L.arg));
              put(k, x, r, PtRegs.ds, I386.USER_DS);
              put(k, x, r, PtRegs.es, I386.USER_DS);
              put(k, x, r, PtRegs.fs, I386.KERNEL_PERCPU);
              put(k, x, r, PtRegs.gs, 0xe0);
              put(k, x, r, PtRegs.orig_ax, -1);
              put(k, x, r, PtRegs.ip, k.image.symbol("kernel_thread_helper"));
              put(k, x, r, PtRegs.cs, I386.KERNEL_CS);
              put(k, x, r, PtRegs.flags, 0x286);
            })
        .call("return do_fork(flags | CLONE_VM | CLONE_UNTRACED, 0, &regs, 0, NULL, NULL)", "do_fork",
            Args.of(x -> x.get(L.flags) | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED, x -> 0,
                x -> x.addr(L.regs), x -> 0, x -> 0, x -> 0))
        .ret("return pid", Exec::retval).build());
    String proc = "arch/x86/kernel/process.c";
    k.image.add(k.image.c("sys_fork", proc).params(L.regs)
        .call("return do_fork(SIGCHLD, regs->sp, regs, 0, NULL, NULL)", "do_fork", Args.of(x -> Kernel.SIGCHLD, x -> x.read(x.get(L.regs) + PtRegs.sp.off(k)), x -> x.get(L.regs), x -> 0, x -> 0, x -> 0))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("sys_clone", SRC).params(L.regs).locals(L.newsp)
        .step("clone_flags = regs->bx; newsp = regs->cx; parent_tidptr = regs->dx; child_tidptr = "
            + "regs->di; if (!newsp) newsp = regs->sp", x -> {
              long r = x.get(L.regs);
              long sp = x.read(r + PtRegs.cx.off(k));
              x.set(L.newsp, sp != 0 ? sp : x.read(r + PtRegs.sp.off(k)));
            })
        .call("return do_fork(clone_flags, newsp, regs, 0, parent_tidptr, child_tidptr)", "do_fork",
            Args.computed(x -> {
              long r = x.get(L.regs);
              return new long[] {x.read(r + PtRegs.bx.off(k)), x.get(L.newsp), r, 0,
                  x.read(r + PtRegs.dx.off(k)), x.read(r + PtRegs.di.off(k))};
            }))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("sys_execve", SRC).params(L.regs).locals(L.filename, L.error)
        .step("filename = getname((char __user *) regs->bx)", x -> x.set(L.filename,
            k.getname(x, x.read(x.get(L.regs) + PtRegs.bx.off(k)))))
        .callInto(L.error, "error = do_execve(filename, (char __user * __user *) regs->cx, "
            + "(char __user * __user *) regs->dx, regs)", "do_execve", Args.computed(x -> {
              long r = x.get(L.regs);
              return new long[] {x.get(L.filename), x.read(r + PtRegs.cx.off(k)),
                  x.read(r + PtRegs.dx.off(k)), r};
            }))
        .ret("if (error == 0) set_thread_flag(TIF_IRET) (never return through sysexit); "
            + "putname(filename); return error", x -> x.get(L.error)).build());
    kstack.arch.x86.Idle.buildCpuIdleTickNohz(k, SRC, "check_pgt_cache(); local_irq_disable();");
  }

  private static void put(Kernel k, Exec x, long regs, PtRegs field, long v) {
    x.write(regs + field.off(k), v);
  }
}
