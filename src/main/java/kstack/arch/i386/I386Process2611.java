package kstack.arch.i386;

import static kstack.arch.i386.PtRegsByValue.byValueReg;
import static kstack.arch.i386.PtRegsByValue.byValueRegs;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;

/**
 * arch/i386/kernel/process.c and include/asm-i386/system.h at 2.6.11 (docs/research/i386-and-2.x.md
 * §2.4-2.6): the same switch and fork mechanisms as 2.6.32 (I386Process2632) under 2.6.11's names and
 * effects: thread.esp/eip/esp0, __switch_to with load_esp0 and no current to update (current is
 * current_thread_info()->task), copy_thread at top - 60, kernel_thread's pt_regs without fs/gs,
 * kernel_thread_helper, and sys_fork/sys_clone/sys_execve taking pt_regs by value.
 *
 * <p>The model builds 2.6.11 with CONFIG_REGPARM=y (arch/i386/Makefile@2.6.11:58; Kconfig:878-881,
 * an experimental option, off by default): C functions take three arguments in eax, edx, ecx, as
 * on 2.6.32, so FASTCALL and the rest share one convention here.
 */
final class I386Process2611 {
  enum L implements Local {
      arg, childregs, clone_flags, error, esp, filename, flags, fn, newsp, next, next_p, nr, p,
      prev, prev_p, regs, unused
  }

  private I386Process2611() {}

  static final String SRC = "arch/i386/kernel/process.c";
  static final int PT_REGS = 60;

  /** The switch_to macro (include/asm-i386/system.h@2.6.11:15-31) as steps of schedule(). */
  static void inlineSwitch(Kernel k, RoutineBuilder b) {
    b.step("  switch_to(prev, next, prev) [inline asm, system.h@2.6.11:15-31]: eax = prev, "
            + "edx = next; pushfl; pushl %ebp",
            x -> {
              x.set(Regs.eax, x.get(L.prev));
              x.set(Regs.edx, x.get(L.next));
              x.push(x.reg(Regs.eflags));
              x.push(x.fp());
            });
    SwitchToEsp.swapStacks(k, b, "current_thread_info()->task")
        .step("  1: popl %ebp; popfl: this task again, with last = prev in eax", x -> {
          x.setFp(x.pop());
          x.set(Regs.eflags, x.pop());
        });
  }

  static void build(Kernel k) {
    k.image.add(k.image.c("__switch_to", SRC + "@2.6.11:574-627").params(L.prev_p, L.next_p)
        .step("tss = &per_cpu(init_tss, smp_processor_id()); __unlazy_fpu(prev_p)", x -> { })
        .step("load_esp0(tss, next): tss->esp0 = next->esp0 (ss1 and MSR_IA32_SYSENTER_CS only "
            + "if next->sysenter_cs differs), where int $0x80 and interrupts from user mode will "
            + "land", x -> x.write(I386Entry.fs(k, x, "init_tss")
                + Tss.sp0.off(k), k.tasks.taskRead(x.get(L.next_p), TaskMember.thread_esp0)))
        .step("load_TLS(next, cpu); savesegment(fs, prev->fs), (gs, prev->gs); reload next's fs "
            + "and gs only if one of the four is non-zero (none is here)", x -> { })
        .ret("return prev_p: nothing else changes current, which is the thread_info->task of the "
            + "stack switch_to just loaded; ret pops next->thread.eip", x -> x.get(L.prev_p))
        .build());
    RoutineBuilder ct = k.image.c("copy_thread", SRC + "@2.6.11:382-398").params(L.nr, L.clone_flags, L.esp, L.unused, L.p, L.regs).locals(L.childregs)
        .step("childregs = ((struct pt_regs *) (THREAD_SIZE + (unsigned long) p->thread_info)) - 1: "
            + "the very top of p's stack, no padding",
            x -> x.set(L.childregs, k.arch.taskPtRegs(k, x.get(L.p))));
    k.image.add(SwitchToEsp.childFrame(k, ct, "*childregs = *regs")
        .ret("savesegment(fs, p->thread.fs); savesegment(gs, p->thread.gs); return 0 (no io "
            + "bitmap, no CLONE_SETTLS)", x -> 0).build());
    buildKernelThread(k);
    buildSyscalls(k);
    kstack.arch.x86.Idle.buildCpuIdle(k, SRC + "@2.6.11:146-168",
        "cpu = _smp_processor_id()", "while (1) {", "cpu_clear(cpu, cpu_idle_map); rmb(); idle = "
            + "pm_idle, or default_idle; irq_stat[cpu].idle_timestamp = jiffies",
        "    idle() = default_idle()", "  (need_resched: out of the inner loop)",
        "  (back from schedule: loop again)");
    // no tick_nohz, no TS_POLLING: hlt only if hlt_counter is 0 and the CPU's hlt works
    kstack.arch.x86.Idle.buildDefaultIdle(k, SRC + "@2.6.11:95-106",
        "if (!hlt_counter && boot_cpu_data.hlt_works_ok) { local_irq_disable(); if "
            + "(!need_resched()) safe_halt(): sti; hlt — the CPU sleeps until something needs it }");
  }

  /** kernel_thread and kernel_thread_helper (process.c@2.6.11:280-315). */
  private static void buildKernelThread(Kernel k) {
    k.image.add(k.image.c("kernel_thread", SRC + "@2.6.11:297-315").params(L.fn, L.arg, L.flags)
        .localArea(L.regs, PT_REGS)
        .step("struct pt_regs regs (on this stack); memset(&regs, 0, sizeof(regs)); regs.ebx = fn; "
            + "regs.edx = arg; regs.xds = regs.xes = __USER_DS; regs.orig_eax = -1; regs.eip = "
            + "kernel_thread_helper; regs.xcs = __KERNEL_CS; regs.eflags = X86_EFLAGS_IF | "
            + "X86_EFLAGS_SF | X86_EFLAGS_PF | 0x2", x -> {
              long r = x.addr(L.regs);
              k.mem.zero(r, PT_REGS);
              put(k, x, r, PtRegs.bx, x.get(L.fn));
              put(k, x, r, PtRegs.dx, x.get(L.arg));
              put(k, x, r, PtRegs.ds, I386.USER_DS);
              put(k, x, r, PtRegs.es, I386.USER_DS);
              put(k, x, r, PtRegs.orig_ax, -1);
              put(k, x, r, PtRegs.ip, k.image.symbol("kernel_thread_helper"));
              put(k, x, r, PtRegs.cs, I386.KERNEL_CS);
              put(k, x, r, PtRegs.flags, 0x286);
            })
        .call("return do_fork(flags | CLONE_VM | CLONE_UNTRACED, 0, &regs, 0, NULL, NULL)", "do_fork",
            Args.of(x -> x.get(L.flags) | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED, x -> 0,
                x -> x.addr(L.regs), x -> 0, x -> 0, x -> 0))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.asm("kernel_thread_helper", SRC + "@2.6.11:284-292")
        .step("movl %edx, %eax; pushl %edx: arg in eax and on the stack", x -> {
          x.set(Regs.eax, x.reg(Regs.edx));
          x.push(x.reg(Regs.edx));
        })
        .callVia("call *%ebx: fn(arg)", x -> x.reg(Regs.ebx), Args.of(x -> x.reg(Regs.edx)), null)
        .step("pushl %eax", x -> x.push(x.reg(Regs.eax)))
        .call("call do_exit(the function's result)", "do_exit", Args.of(x -> x.reg(Regs.eax)))
        .step("(do_exit never returns; 2.6.11 has no ud2 here)", x -> {
          throw new IllegalStateException("do_exit returned");
        }).build());
  }

  /**
   * sys_fork, sys_clone, sys_execve (process.c@2.6.11:629-690): asmlinkage, pt_regs by value, so
   * system_call's frame is their argument and sys_call_table points at them directly (no ptregs_
   * stubs before 2.6.26).
   */
  private static void buildSyscalls(Kernel k) {
    k.image.add(k.image.c("sys_fork", SRC + "@2.6.11:629-632").params().asmlinkage()
        .call("return do_fork(SIGCHLD, regs.esp, &regs, 0, NULL, NULL): regs is the frame "
            + "system_call saved", "do_fork", Args.of(x -> Kernel.SIGCHLD, x -> byValueReg(k, x, PtRegs.sp),
                x -> byValueRegs(x), x -> 0, x -> 0, x -> 0))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("sys_clone", SRC + "@2.6.11:634-647").params().asmlinkage().locals(L.newsp)
        .step("clone_flags = regs.ebx; newsp = regs.ecx; parent_tidptr = regs.edx; child_tidptr = "
            + "regs.edi; if (!newsp) newsp = regs.esp", x -> {
              long sp = byValueReg(k, x, PtRegs.cx);
              x.set(L.newsp, sp != 0 ? sp : byValueReg(k, x, PtRegs.sp));
            })
        .call("return do_fork(clone_flags, newsp, &regs, 0, parent_tidptr, child_tidptr)",
            "do_fork", Args.of(x -> byValueReg(k, x, PtRegs.bx), x -> x.get(L.newsp),
                x -> byValueRegs(x), x -> 0, x -> byValueReg(k, x, PtRegs.dx), x -> byValueReg(k, x, PtRegs.di)))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("sys_execve", SRC + "@2.6.11:667-690").params().asmlinkage()
        .locals(L.filename, L.error)
        .step("filename = getname((char __user *) regs.ebx)",
            x -> x.set(L.filename, k.getname(x, byValueReg(k, x, PtRegs.bx))))
        .callInto(L.error, "error = do_execve(filename, (char __user * __user *) regs.ecx, "
            + "(char __user * __user *) regs.edx, &regs)", "do_execve", Args.of(x -> x.get(L.filename), x -> byValueReg(k, x, PtRegs.cx), x -> byValueReg(k, x, PtRegs.dx),
                x -> byValueRegs(x)))
        .ret("if (error == 0) { current->ptrace &= ~PT_DTRACE; set_thread_flag(TIF_IRET): never "
            + "return through sysexit }; putname(filename); return error", x -> {
              if (x.get(L.error) == 0) {
                ThreadInfoEntry.threadFlag(k, x, I386Entry2611.TIF_IRET, true);
              }
              return x.get(L.error);
            })
        .build());
    for (String n : new String[] {"fork", "clone", "execve"}) {
      k.image.sysCallTable.put(k.arch.syscallNumbers().get(n), "sys_" + n);
    }
  }

  private static void put(Kernel k, Exec x, long regs, PtRegs field, long v) {
    x.write(regs + field.off(k), v);
  }
}
