package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;

/**
 * arch/i386/kernel/entry.S at 2.6.11 (docs/research/i386-and-2.x.md §2.3, §2.5): system_call saves
 * the 60-byte pt_regs with 2.4's SAVE_ALL (no fs, gs; ds and es get __USER_DS), points %ebp at
 * thread_info, calls through sys_call_table (fork, clone and execve included: they take pt_regs by
 * value), and leaves through syscall_exit, which tests the TI_flags it reads through %ebp
 * (Feature.TIF_WORK_2611): syscall_exit_work, work_pending/work_resched/work_notifysig and
 * RESTORE_ALL's iret; ret_from_fork hands prev to schedule_tail and joins syscall_exit.
 */
final class I386Entry2611 {
  enum L implements Local { entryexit, oldset, regs, thread_info_flags }

  private I386Entry2611() {}

  static final String ENTRY = "arch/i386/kernel/entry.S";

  static void build(Kernel k) {
    RoutineBuilder b = k.image.asm("system_call", ENTRY + "@2.6.11:241-261")
        .step("pushl %eax: orig_eax, the system call number", x -> x.push(x.reg(Regs.eax)));
    SaveAll60.saveAll(b, "__USER_DS", I386.USER_DS)
        .step("GET_THREAD_INFO(%ebp): ebp = esp & -THREAD_SIZE, the thread_info whose task is "
            + "current", x -> {
              ThreadInfoEntry.getThreadInfo(k, x);
              I386Entry.entered(k, x);
            })
        .step("testb $(_TIF_SYSCALL_TRACE|_TIF_SYSCALL_AUDIT), TI_flags(%ebp) (no tracing); "
            + "cmpl $(nr_syscalls), %eax; jae syscall_badsys", x -> { })
        .globalLabel("syscall_call")
        .callVia("call *sys_call_table(,%eax,4): the saved ebx, ecx, edx... are the stack "
            + "arguments", x -> target(k, x.reg(Regs.eax)), Args.inPlace(), null)
        .step("movl %eax, EAX(%esp): the result into pt_regs->eax",
            x -> x.write(x.sp() + PtRegs.ax.off(k), x.retval()))
        .globalLabel("syscall_exit")
        .step("cli; movl TI_flags(%ebp), %ecx: the flags of the thread_info GET_THREAD_INFO found "
            + "at entry", x -> ThreadInfoEntry.loadFlags(k, x))
        .branchIf("syscall_exit_work", "testw $_TIF_ALLWORK_MASK, %cx; jne syscall_exit_work",
            x -> (x.reg(Regs.ecx) & ALLWORK_MASK) != 0)
        .globalLabel("restore_all");
    SaveAll60.restoreAll(k, b, "RESTORE_ALL: RESTORE_INT_REGS");
    workPending(k, b);
    k.image.add(b.build());
    buildWork(k);
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params().asmlinkage()
        .ret("return -ENOSYS", x -> I386.ENOSYS).build());
    k.image.add(k.image.asm("ret_from_fork", ENTRY + "@2.6.11:143-148")
        .call("pushl %eax (prev, as __switch_to returned it); call schedule_tail",
            "schedule_tail", Args.of(x -> x.reg(Regs.eax)))
        .step("GET_THREAD_INFO(%ebp); popl %eax (already dropped)", x -> ThreadInfoEntry.getThreadInfo(k, x))
        .step("jmp syscall_exit", k.image.jump("syscall_exit")).build());
  }

  /** _TIF_ALLWORK_MASK and _TIF_WORK_MASK (include/asm-i386/thread_info.h@2.6.11:136-158). */
  static final long ALLWORK_MASK = 0xffff;
  private static final long TIF_NEED_RESCHED = 1 << 3;
  private static final long TIF_SIGPENDING = 1 << 2;
  private static final long TIF_SINGLESTEP = 1 << 4;
  static final long TIF_IRET = 1 << 5;
  /** _TIF_SYSCALL_TRACE | _TIF_SYSCALL_AUDIT | _TIF_SINGLESTEP: what syscall_exit_work traces. */
  private static final long TRACE_MASK = 1 | 1 << 7 | TIF_SINGLESTEP;
  static final long WORK_MASK = ALLWORK_MASK & ~TRACE_MASK;
  /** 2.6.11's masks as ret_from_intr reads them (ThreadInfoEntry). */
  static final ThreadInfoEntry.TiFlagsWork TIF_WORK = new ThreadInfoEntry.TiFlagsWork(WORK_MASK);
  private static final long TF_MASK = 0x100;

  /**
   * work_pending, work_resched and work_notifysig (entry.S@2.6.11:265-288): schedule while
   * TIF_NEED_RESCHED, reloading the flags through %ebp; any other work bit (TIF_IRET, or
   * whatever an overflow left) goes to do_notify_resume. work_notifysig_v86 is never taken: no
   * task runs in vm86 mode here.
   */
  private static void workPending(Kernel k, RoutineBuilder b) {
    b.globalLabel("work_pending")
        .branchIf("work_notifysig", "testb $_TIF_NEED_RESCHED, %cl; jz work_notifysig",
            x -> (x.reg(Regs.ecx) & TIF_NEED_RESCHED) == 0)
        .globalLabel("work_resched")
        .call("call schedule", "schedule", Args.inPlace())
        .step("cli; movl TI_flags(%ebp), %ecx", x -> ThreadInfoEntry.loadFlags(k, x))
        .branchIf("restore_all", "andl $_TIF_WORK_MASK, %ecx; jz restore_all", x -> {
          x.set(Regs.ecx, x.reg(Regs.ecx) & WORK_MASK);
          return x.reg(Regs.ecx) == 0;
        })
        .branchIf("work_resched", "testb $_TIF_NEED_RESCHED, %cl; jnz work_resched",
            x -> (x.reg(Regs.ecx) & TIF_NEED_RESCHED) != 0)
        .globalLabel("work_notifysig")
        .step("testl $VM_MASK, EFLAGS(%esp) (not vm86); movl %esp, %eax; xorl %edx, %edx", x -> {
          x.set(Regs.eax, x.sp());
          x.set(Regs.edx, 0);
        })
        .call("call do_notify_resume: regs in %eax, oldset NULL in %edx, the flags in %ecx",
            "do_notify_resume", Args.of(x -> x.reg(Regs.eax), x -> 0, x -> x.reg(Regs.ecx)))
        .jump("restore_all", "jmp restore_all")
        .globalLabel("syscall_exit_work")
        .branchIf("work_pending", "testb $(_TIF_SYSCALL_TRACE|_TIF_SYSCALL_AUDIT|_TIF_SINGLESTEP), "
            + "%cl; jz work_pending", x -> (x.reg(Regs.ecx) & TRACE_MASK) == 0)
        .step("sti; movl %esp, %eax; movl $1, %edx: the exit side", x -> {
          k.arch.irqEnable(x);
          x.set(Regs.eax, x.sp());
          x.set(Regs.edx, 1);
        })
        .call("call do_syscall_trace", "do_syscall_trace", Args.of(x -> x.reg(Regs.eax), x -> 1))
        .step("jmp resume_userspace", k.image.jump("resume_userspace"));
  }

  /** do_syscall_trace, do_notify_resume and the part of do_signal that runs here. */
  private static void buildWork(Kernel k) {
    k.image.add(k.image.c("do_syscall_trace", "arch/i386/kernel/ptrace.c@2.6.11:679-713")
        .params(L.regs, L.entryexit)
        .step("regparm(3); if (unlikely(current->audit_context)): NULL; if (!(current->ptrace & "
            + "PT_PTRACED)) return: nothing traces a task in this model", x -> {
              long cur = k.current(x);
              k.tasks.taskRead(cur, TaskMember.audit_context);
              k.tasks.taskRead(cur, TaskMember.ptrace);
            })
        .retVoid().build());
    k.image.add(k.image.c("do_notify_resume", "arch/i386/kernel/signal.c@2.6.11:641-655")
        .params(L.regs, L.oldset, L.thread_info_flags)
        .step("regparm(3); if (thread_info_flags & _TIF_SINGLESTEP) { regs->eflags |= TF_MASK; "
            + "clear_thread_flag(TIF_SINGLESTEP) }", x -> {
              if ((x.get(L.thread_info_flags) & TIF_SINGLESTEP) != 0) {
                long f = x.get(L.regs) + PtRegs.flags.off(k);
                x.write(f, x.read(f) | TF_MASK);
                ThreadInfoEntry.threadFlag(k, x, TIF_SINGLESTEP, false);
              }
            })
        .branchIf("nosig", "if (thread_info_flags & _TIF_SIGPENDING)",
            x -> (x.get(L.thread_info_flags) & TIF_SIGPENDING) == 0)
        .call("  do_signal(regs, oldset)", "do_signal",
            Args.of(x -> x.get(L.regs), x -> x.get(L.oldset)))
        .label("nosig")
        .step("clear_thread_flag(TIF_IRET)", x -> ThreadInfoEntry.threadFlag(k, x, TIF_IRET, false))
        .retVoid().build());
    k.image.add(k.image.c("do_signal", "arch/i386/kernel/signal.c@2.6.11:580-635").params(L.regs, L.oldset)
        .branchIf("kernel", "fastcall; if ((regs->xcs & 3) != 3) return 1",
            x -> (x.read(x.get(L.regs) + PtRegs.cs.off(k)) & 3) != 3)
        .step("if (current->flags & PF_FREEZE): no; get_signal_to_deliver(): nothing is queued (no "
            + "signal is ever sent in this model); no_signal: regs->eax is no -ERESTART* code",
            x -> k.tasks.taskRead(k.current(x), TaskMember.flags))
        .ret("return 0", x -> 0)
        .label("kernel")
        .ret("return 1", x -> 1).build());
  }

  private static long target(Kernel k, long nr) {
    return k.image.sysCallTarget(nr, "sys_ni_syscall");
  }
}
