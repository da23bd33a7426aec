package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * arch/x86/kernel/entry_32.S at 2.6.32 (docs/research/i386-and-2.x.md §3.3, §3.5, §3.6;
 * linux-facts §5.2): system_call saves the registers with SAVE_ALL, points %ebp at thread_info and
 * calls through sys_call_table with pt_regs as the stack arguments; the ptregs_ stubs hand fork,
 * clone and execve a pointer to that frame; ret_from_fork and kernel_thread_helper start new tasks.
 */
final class I386Entry2632 {
  enum L implements Local { argv, envp, filename }

  private I386Entry2632() {}

  static final String ENTRY = "arch/x86/kernel/entry_32.S";

  static void build(Kernel k) {
    RoutineBuilder b = k.image.asm("system_call", ENTRY)
        .step("RING0_INT_FRAME; pushl %eax: pt_regs->orig_ax, the system call number",
            x -> x.push(x.reg(Regs.eax)));
    I386Entry.saveAll(k, b, false)
        .step("ENABLE_INTERRUPTS; GET_THREAD_INFO(%ebp): ebp = esp & -THREAD_SIZE, the thread_info",
            x -> {
              k.arch.irqEnable(x);
              x.setFp(x.sp() & -k.threadSize);
              I386Entry.entered(k, x);
            })
        .step("testl $_TIF_WORK_SYSCALL_ENTRY, TI_flags(%ebp) (no tracing); cmpl $(nr_syscalls), "
            + "%eax; jae syscall_badsys", x -> { })
        .globalLabel("syscall_call")
        .callVia("call *sys_call_table(,%eax,4): the saved bx, cx, dx... are the stack arguments",
            x -> target(k, x.reg(Regs.eax)), Args.inPlace(), null)
        .step("movl %eax, PT_EAX(%esp): the result into pt_regs->ax",
            x -> x.write(x.sp() + PtRegs.ax.off(k), x.retval()))
        .globalLabel("syscall_exit")
        .step("LOCKDEP_SYS_EXIT; DISABLE_INTERRUPTS; movl TI_flags(%ebp), %ecx",
            x -> k.arch.irqDisable(x))
        .branchIf("work_pending", "testl $_TIF_ALLWORK_MASK, %ecx; jne syscall_exit_work",
            x -> k.rq.needResched(k.current(x)))
        .globalLabel("restore_all")
        .step("TRACE_IRQS_IRET; restore_all_notrace: (ESPFIX: not an LDT stack segment)", x -> { })
        .step("restore_nocheck: RESTORE_REGS 4: popl %ebx; popl %ecx; popl %edx; popl %esi; "
            + "popl %edi; popl %ebp; popl %eax", x -> {
              for (int r : Regs.RESTORE_ALL) {
                x.set(r, x.pop());
              }
            })
        .step("popl %ds; popl %es; popl %fs; POP_GS 4: popl %gs; addl $4, %esp (orig_ax)", x -> {
          x.set(Regs.ds, x.pop());
          x.set(Regs.es, x.pop());
          x.set(Regs.fs, x.pop());
          x.set(Regs.gs, x.pop());
          x.setSp(x.sp() + 4);
        })
        .step("irq_return: INTERRUPT_RETURN (iret)", x -> I386Entry.iret(k, x));
    workPending(k, b, "LOCKDEP_SYS_EXIT; DISABLE_INTERRUPTS; movl TI_flags(%ebp), %ecx");
    k.image.add(b.build());
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params().asmlinkage()
        .ret("return -ENOSYS", x -> I386.ENOSYS).build());
    for (String n : new String[] {"fork", "clone", "execve"}) {
      k.image.sysCallTable.put(k.arch.syscallNumbers().get(n), "ptregs_" + n);
      k.image.add(k.image.asm("ptregs_" + n, ENTRY)
          .step("PTREGSCALL: leal 4(%esp), %eax: the pt_regs above our return address",
              x -> x.set(Regs.eax, x.sp() + 4))
          .step("jmp sys_" + n + " (sys_" + n + " returns straight into system_call)",
              k.image.jump("sys_" + n)).build());
    }
    k.image.add(k.image.asm("ret_from_fork", ENTRY)
        .call("CFI_STARTPROC; pushl %eax (prev, as __switch_to returned it); call schedule_tail",
            "schedule_tail", Args.of(x -> x.reg(Regs.eax)))
        .step("GET_THREAD_INFO(%ebp); popl %eax (already dropped)", x -> x.setFp(x.sp() & -k.threadSize))
        .step("pushl $0x0202; popfl: reset kernel eflags", x -> x.set(Regs.eflags, 0x202))
        .step("jmp syscall_exit", k.image.jump("syscall_exit")).build());
    k.image.add(k.image.asm("kernel_thread_helper", ENTRY)
        .step("pushl $0: a fake return address for the unwinder", x -> x.push(0))
        .step("movl %edx, %eax; push %edx: arg in eax and on the stack", x -> {
          x.set(Regs.eax, x.reg(Regs.edx));
          x.push(x.reg(Regs.edx));
        })
        .callVia("call *%ebx: fn(arg)", x -> x.reg(Regs.ebx), Args.of(x -> x.reg(Regs.edx)), null)
        .step("push %eax", x -> x.push(x.reg(Regs.eax)))
        .call("call do_exit(the function's result)", "do_exit", Args.of(x -> x.reg(Regs.eax)))
        .step("ud2 (do_exit never returns)", x -> {
          throw new IllegalStateException("do_exit returned");
        }).build());
    buildKernelExecve(k);
  }

  /**
   * kernel_execve (sys_i386_32.c@2.6.32:216-223).
   */
  private static void buildKernelExecve(Kernel k) {
    int execve = k.arch.syscallNumbers().get("execve");
    k.image.add(k.image.c("kernel_execve", "arch/x86/kernel/sys_i386_32.c").params(L.filename, L.argv, L.envp)
        .step("asm: push %ebx; movl filename, %ebx; eax = __NR_execve; ecx = argv; edx = envp", x -> {
          x.push(x.reg(Regs.ebx));
          x.set(Regs.ebx, x.get(L.filename));
          x.set(Regs.eax, execve);
          x.set(Regs.ecx, x.get(L.argv));
          x.set(Regs.edx, x.get(L.envp));
        })
        .step("int $0x80: a system call from kernel mode. The CPU stays on this stack and pushes "
            + "only eflags, cs, eip, so system_call builds a pt_regs in the middle of it",
            x -> k.arch.syscallInstruction(x))
        .step("pop %ebx (reached only if the exec failed)", x -> x.set(Regs.ebx, x.pop()))
        .ret("return __res", x -> x.retval()).build());
  }

  /**
   * work_pending and work_resched (entry_32.S@2.6.32): schedule while TIF_NEED_RESCHED, then
   * restore_all; reload names the interrupts-off-and-reread step. 2.6.11 has its own
   * (I386Entry2611).
   */
  static RoutineBuilder workPending(Kernel k, RoutineBuilder b, String reload) {
    return b.globalLabel("work_pending")
        .branchIf("restore_all", "testb $_TIF_NEED_RESCHED, %cl; jz work_notifysig (no signals "
            + "are modelled)", x -> !k.rq.needResched(k.current(x)))
        .globalLabel("work_resched")
        .call("call schedule", "schedule", Args.inPlace())
        .step(reload, x -> k.arch.irqDisable(x))
        .branchIf("work_resched", "andl $_TIF_WORK_MASK, %ecx; jz restore_all; "
            + "testb $_TIF_NEED_RESCHED, %cl; jnz work_resched", x -> k.rq.needResched(k.current(x)))
        .jump("restore_all", "jmp restore_all");
  }

  private static long target(Kernel k, long nr) {
    return k.image.sysCallTarget(nr, "sys_ni_syscall");
  }
}
