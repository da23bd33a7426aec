package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.trace.Event;

/**
 * arch/x86/entry/entry_32.S and common.c (4.16.13) for i386: int $0x80 enters entry_INT80_32 on the
 * task stack (the CPU took TSS.sp0 = thread.sp0 = top - padding), SAVE_ALL completes the 68-byte
 * pt_regs, do_int80_syscall_32 calls the table function with six stack arguments, and restore_all
 * pops everything back and irets. __switch_to_asm and ret_from_fork are the 32-bit versions.
 * Sequences: docs/research/i386-and-2.x.md §4.3-4.5.
 */
final class I386Entry {
  enum L implements Local { nr, regs }

  private I386Entry() {}

  static final String ENTRY = "arch/x86/entry/entry_32.S";
  /** SAVE_ALL's pushes after orig_ax, first to last (entry_32.S@4.16.13:157-176). */
  static final String[] SAVE_ALL = {"gs", "fs", "es", "ds", "ax", "bp", "di", "si", "dx", "cx", "bx"};

  static void build(Kernel k) {
    k.image.add(saveAll(k, k.image.asm("entry_INT80_32", ENTRY)
            .step("ASM_CLAC; pushl %eax: pt_regs->orig_ax, the system call number",
                x -> x.push(x.reg(Regs.eax))), true)
        .step("TRACE_IRQS_OFF; movl %esp, %eax: do_int80_syscall_32(regs)", x -> {
          x.set(Regs.eax, x.sp());
          entered(k, x);
        })
        .call("call do_int80_syscall_32", "do_int80_syscall_32", Args.of(x -> x.reg(Regs.eax)))
        .globalLabel("restore_all")
        .step("TRACE_IRQS_IRET; (ESPFIX: not an LDT stack segment)", x -> { })
        .step("popl %ebx; popl %ecx; popl %edx; popl %esi; popl %edi; popl %ebp; popl %eax",
            x -> {
              for (int r : Regs.RESTORE_ALL) {
                x.set(r, x.pop());
              }
            })
        .step("popl %ds; popl %es; popl %fs; POP_GS; addl $4, %esp: skip orig_ax", x -> {
          x.set(Regs.ds, x.pop());
          x.set(Regs.es, x.pop());
          x.set(Regs.fs, x.pop());
          x.set(Regs.gs, x.pop());
          x.setSp(x.sp() + 4);
        })
        .step("iret: pop eip, cs, eflags (and esp, ss when going back to user mode)", x -> iret(k, x))
        .build());
    String common = "arch/x86/entry/common.c";
    k.image.add(syscallIrqsOn(k, k.image.c("do_int80_syscall_32", common).params(L.regs).locals(L.nr)
        .step("enter_from_user_mode(); local_irq_enable()", x -> k.arch.irqEnable(x)))
        .retVoid().build());
    kstack.arch.x86.EntryCommon.buildSyscallReturnSlowpath(k);
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params().asmlinkage()
        .ret("return -ENOSYS", x -> I386.ENOSYS).build());
    buildSwitchToAsm(k);
    buildRetFromFork(k);
    I386Sysenter.build(k);
  }

  /**
   * do_syscall_32_irqs_on (common.c@4.16.13:303-337, static __always_inline): the table function
   * with six stack arguments copied from pt_regs, its result into regs->ax, then the exit work.
   */
  static RoutineBuilder syscallIrqsOn(Kernel k, RoutineBuilder b) {
    int origAx = PtRegs.orig_ax.off(k);
    int ax = PtRegs.ax.off(k);
    return b.step("do_syscall_32_irqs_on(regs) [inline]: nr = regs->orig_ax",
            x -> x.set(L.nr, x.read(x.get(L.regs) + origAx)))
        .callVia("regs->ax = ia32_sys_call_table[nr]((unsigned int)regs->bx, cx, dx, si, di, bp): "
            + "six copies pushed for the asmlinkage entry", x -> target(k, x.get(L.nr)),
            Args.of(slot(k, PtRegs.bx), slot(k, PtRegs.cx), slot(k, PtRegs.dx),
                slot(k, PtRegs.si), slot(k, PtRegs.di), slot(k, PtRegs.bp)), null)
        .step("regs->ax = returned value", x -> x.write(x.get(L.regs) + ax, x.retval()))
        .call("syscall_return_slowpath(regs)", "syscall_return_slowpath",
            Args.of(x -> x.get(L.regs)));
  }

  /**
   * SAVE_ALL (entry_32.S@4.16.13:157-176, CONFIG_CC_STACKPROTECTOR so %gs is pushed, not 0): the
   * pushes, then the kernel's data segments and %fs = __KERNEL_PERCPU, whose base is this CPU's
   * per-CPU offset.
   */
  static RoutineBuilder saveAll(Kernel k, RoutineBuilder b, boolean syscall) {
    for (String r : SAVE_ALL) {
      if (r.equals("ax") && syscall) {
        b.step("pushl $-ENOSYS: pt_regs->ax (SAVE_ALL pt_regs_ax=$-ENOSYS)", x -> x.push(I386.ENOSYS));
      } else {
        String reg = r.length() == 2 && r.charAt(1) == 's' ? r : "e" + r;
        int ri = Regs.of(reg);
        b.step((r.equals("gs") ? "cld; PUSH_GS: " : "") + "pushl %" + reg + ": pt_regs->" + r,
            x -> x.push(x.reg(ri)));
      }
    }
    return b.step("movl $__USER_DS, %ds/%es; movl $__KERNEL_PERCPU, %fs; SET_KERNEL_GS "
        + "(__KERNEL_STACK_CANARY)", x -> {
          x.set(Regs.ds, I386.USER_DS);
          x.set(Regs.es, I386.USER_DS);
          x.set(Regs.fs, I386.KERNEL_PERCPU);
          x.set(Regs.fs_base, k.perCpuOffset(x.cpu().id()));
          x.set(Regs.gs, 0xe0);
        });
  }

  /** An argument read from a pt_regs slot of the routine's regs, its offset fixed at build. */
  private static java.util.function.ToLongFunction<Exec> slot(Kernel k, PtRegs member) {
    int off = member.off(k);
    return x -> x.read(x.get(L.regs) + off);
  }

  /** A per-CPU variable the step captured when it was built, as %fs-relative code reaches it. */
  static long fs(Exec x, kstack.kernel.LinkedAddress var) {
    return x.reg(Regs.fs_base) + var.get();
  }

  /** A per-CPU variable as %fs-relative code reaches it. */
  static long fs(Kernel k, Exec x, String var) {
    return x.reg(Regs.fs_base) + k.image.symbol(var);
  }

  private static long target(Kernel k, long nr) {
    return k.image.sysCallTarget(nr, "sys_ni_syscall");
  }

  static void entered(Kernel k, Exec x) {
    entered(k, x, x.sp());
  }

  static void entered(Kernel k, Exec x, long regs) {
    long nr = x.read(regs + PtRegs.orig_ax.off(k));
    long task = k.current(x.cpu().id());
    if ((x.read(regs + PtRegs.cs.off(k)) & 3) == 0) {
      k.timeline.emit(new Event.SyscallFromKernel(x.cpu().id(), k.tasks.pid(task),
          k.syscallName(nr), nr, regs));
      return;
    }
    k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(task),
        k.syscallName(nr), nr, x.read(regs + PtRegs.sp.off(k)),
        regs));
  }

  /**
   * [ARCH] iret in 32-bit mode: pops EIP, CS, EFLAGS, and ESP, SS too when the new CS is less
   * privileged. Any IRET ends NMI blocking. Going back to user mode, the task stack must be empty.
   */
  static void iret(Kernel k, Exec x) {
    iret(k, x, false);
  }

  /**
   * iret; onEntryStack: 6.19 returns to user mode from the per-CPU entry stack (TSS.sp0), whose
   * top the frame must then end at, instead of the task stack's.
   */
  static void iret(Kernel k, Exec x, boolean onEntryStack) {
    x.set(Regs.nmi_blocked, 0);
    long regs = x.sp() - PtRegs.ip.off(k);
    long ip = x.pop();
    long cs = x.pop();
    x.set(Regs.eflags, x.pop() | 0x2); // [ARCH] EFLAGS bit 1 is reserved and always reads as 1
    x.set(Regs.cs, cs);
    if ((cs & 3) == 3) {
      long task = k.current(x.cpu().id());
      String broken = k.stacks.overwritten(task);
      if (broken != null) {
        k.timeline.emit(new Event.CorruptReturn(x.cpu().id(), Event.ReturnPath.IRET, broken));
      }
      long expect = onEntryStack ? EntryStack.top(k, x.cpu().id())
          : broken != null ? x.sp() + 8 : k.arch.taskTopOfStack(k, task);
      regs = onEntryStack && broken == null ? k.arch.taskPtRegs(k, task) : regs;
      I386EntryModel entry = x.sp() + 8 != expect ? k.profile.module(I386EntryModel.class) : null;
      if (entry != null && entry.execveRegsMayBeLeft()) {
        boolean initStub = entry.initExecveStub();
        k.timeline.emit(new Event.ExecveRegsLeft(x.cpu().id(), Event.ReturnPath.IRET,
            k.tasks.pid(task), regs, initStub, initStub ? "esp0" : "sp0", expect));
      } else if (x.sp() + 8 != expect) {
        throw new IllegalStateException(String.format(
            "kernel stack not empty on return to user: esp 0x%x, expected 0x%x", x.sp() + 8, expect));
      }
      long sp = x.pop();
      x.set(Regs.ss, x.pop());
      x.setSp(sp);
      if (broken == null) {
        exited(k, x, task, regs);
      }
    }
    x.jumpTo(ip);
  }

  static void exited(Kernel k, Exec x, long task, long regs) {
    long nr = (int) k.readPtr(regs + PtRegs.orig_ax.off(k));
    long ip = k.readPtr(regs + PtRegs.ip.off(k));
    if (ip == k.image.symbol("_start")) {
      k.timeline.emit(new Event.ExecStart(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
    } else if (nr < 0 || !afterSyscall(k, ip)) {
      k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.IRET));
    } else {
      k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task),
          k.syscallName(nr), (int) x.reg(Regs.eax)));
    }
  }

  /**
   * Whether a user eip is the one after an int $0x80: an NMI saves eax as orig_ax
   * (entry_32.S@4.16.13:1003), so orig_ax alone cannot tell a system call's return from an NMI's.
   */
  private static boolean afterSyscall(Kernel k, long ip) {
    if (k.arch.vdsoSyscallEntry() != null && I386Sysenter.isLandingPad(k, ip)) {
      return true; // 2.4 has no vDSO and no landing pad
    }
    kstack.exec.Routine r = k.host().routineAt(ip - kstack.exec.Routine.INSN_SIZE);
    return r != null && r.contains(ip - kstack.exec.Routine.INSN_SIZE)
        && r.insn(r.indexOf(ip - kstack.exec.Routine.INSN_SIZE)).text().startsWith("syscall");
  }

  /** __switch_to_asm (entry_32.S@4.16.13:228-254): the 20-byte inactive_task_frame. */
  private static void buildSwitchToAsm(Kernel k) {
    RoutineBuilder b = k.image.asm("__switch_to_asm", ENTRY);
    for (String r : new String[] {"ebp", "ebx", "edi", "esi"}) {
      int ri = Regs.of(r);
      b.step("pushl %" + r + " (inactive_task_frame)", x -> x.push(x.reg(ri)));
    }
    b.step("movl %esp, TASK_threadsp(%eax): prev->thread.sp",
            x -> k.tasks.taskWrite(x.reg(Regs.eax), TaskMember.thread_sp, x.sp()))
        .step("movl TASK_threadsp(%edx), %esp: the stack of next", x -> x.setSp(k.tasks.threadSp(x.reg(Regs.edx))))
        .step("movl TASK_stack_canary(%edx), %ebx; movl %ebx, PER_CPU_VAR(stack_canary)+20", x -> {
          long canary = k.tasks.taskRead(x.reg(Regs.edx), TaskMember.stack_canary);
          x.set(Regs.ebx, canary);
          x.write(fs(k, x, "stack_canary") + 20, canary);
        });
    for (String r : new String[] {"esi", "edi", "ebx", "ebp"}) {
      int ri = Regs.of(r);
      b.step("popl %" + r, x -> x.set(ri, x.pop()));
    }
    k.image.add(b.step("jmp __switch_to (eax = prev, edx = next)", k.image.jump("__switch_to"))
        .build());
  }

  /** ret_from_fork and schedule_tail_wrapper (entry_32.S@4.16.13:256-313). */
  private static void buildRetFromFork(Kernel k) {
    k.image.add(k.image.asm("schedule_tail_wrapper", ENTRY)
        .step("FRAME_BEGIN: pushl %ebp; movl %esp, %ebp", x -> {
          x.push(x.fp());
          x.setFp(x.sp());
        })
        .call("pushl %eax; call schedule_tail (asmlinkage: prev on the stack)", "schedule_tail",
            Args.of(x -> x.reg(Regs.eax)))
        .step("FRAME_END: popl %ebp", x -> x.setFp(x.pop()))
        .step("ret", x -> x.ret(x.pop())).build());
    k.image.add(k.image.asm("ret_from_fork", ENTRY)
        .call("call schedule_tail_wrapper", "schedule_tail_wrapper", Args.inPlace())
        .branchIf("kthread", "testl %ebx, %ebx: a kernel thread's function?", x -> x.reg(Regs.ebx) != 0)
        .label("user")
        .call("movl %esp, %eax; call syscall_return_slowpath", "syscall_return_slowpath",
            Args.of(x -> x.sp()))
        .step("jmp restore_all", k.image.jump("restore_all"))
        .label("kthread")
        .callVia("movl %edi, %eax; CALL_NOSPEC %ebx: fn(arg)", x -> x.reg(Regs.ebx),
            Args.of(x -> x.reg(Regs.edi)), null)
        .step("movl $0, PT_EAX(%esp): a kernel thread that returns (after exec) returns 0 to user "
            + "mode", x -> x.write(x.sp() + PtRegs.ax.off(k), 0))
        .jump("user", "jmp 2b").build());
  }
}
