package kstack.arch.i386;

import kstack.arch.SyscallWrappers;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.trace.Event;

/**
 * i386 entry at 6.19 (docs/research/i386-and-2.x.md §5.3-5.5; entry_32.S@6.19): TSS.sp0 is the
 * per-CPU entry stack, where the CPU leaves its frame; SAVE_ALL's SWITCH_TO_KERNEL_STACK copies the
 * 68-byte pt_regs to the task stack (TSS.sp1 = thread.sp0, so again at top - 8 - 68) and
 * SWITCH_TO_ENTRY_STACK copies it back before the iret. The system call goes do_int80_syscall_32 →
 * ia32_sys_call → __ia32_sys_NAME(regs); __switch_to_asm saves eflags too (a 24-byte frame); a new
 * task starts in ret_from_fork_asm and the C ret_from_fork.
 */
final class I386Entry619 {
  enum L implements Local { fn, fn_arg, nr, prev, regs }

  private I386Entry619() {}

  static final String ENTRY = "arch/x86/entry/entry_32.S";

  /** entry_INT80_32's local label after the call (entry_32.S@6.19:941), ret_from_fork_asm's RET. */
  private static final String SYSCALL_32_DONE = ".Lsyscall_32_done";

  static void build(Kernel k) {
    kstack.kernel.LinkedAddress tss = k.image.ref("cpu_tss_rw");
    int sp0 = Tss.sp0.off(k);
    RoutineBuilder b = k.image.asm("entry_INT80_32", ENTRY)
        .step("ASM_CLAC; pushl %eax: pt_regs->orig_ax, on the entry stack",
            x -> x.push(x.reg(Regs.eax)));
    saveAll(k, b, true)
        .step("movl %esp, %eax: do_int80_syscall_32(regs)", x -> {
          x.set(Regs.eax, x.sp());
          I386Entry.entered(k, x);
        })
        .call("call do_int80_syscall_32", "do_int80_syscall_32", Args.of(x -> x.reg(Regs.eax)))
        .label(SYSCALL_32_DONE)
        .step(".Lsyscall_32_done: STACKLEAK_ERASE (no CONFIG_KSTACK_ERASE: nothing)", x -> { })
        .globalLabel("restore_all_switch_stack")
        .step("restore_all_switch_stack: SWITCH_TO_ENTRY_STACK: rep movsl the pt_regs to TSS.sp0 - "
            + "PTREGS_SIZE, then esp there", x -> {
              long to = x.read(I386Entry.fs(x, tss) + sp0)
                  - 68;
              k.mem.copy(to, x.sp(), 68);
              x.setSp(to);
            })
        .step("CHECK_AND_APPLY_ESPFIX; SWITCH_TO_USER_CR3 (no PTI); RESTORE_REGS pop=4: popl %ebx .. "
            + "%eax, %ds, %es, %fs; addl $(4 + 4), %esp: the gs and orig_ax slots",
            I386Entry619::restoreRegs4)
        .step("CLEAR_CPU_BUFFERS; iret", x -> I386Entry.iret(k, x, true));
    k.image.add(b.build());
    String src = "arch/x86/entry/syscall_32.c";
    RoutineBuilder d = syscallIrqsOn(k, k.image.c("do_int80_syscall_32", src).params(L.regs).locals(L.nr)
        .step("nr = syscall_32_enter(regs) [inline]; add_random_kstack_offset() (0 here); "
            + "nr = syscall_enter_from_user_mode(regs, nr): local_irq_enable()", x ->
                k.arch.irqEnable(x)));
    k.image.add(kstack.arch.ExitWork.append(k, d, "syscall_exit_to_user_mode(regs) [inline]: "
        + "local_irq_disable(); work pending?", "exit_to_user_mode_loop",
        "exit_to_user_mode_loop(regs, ti_work)")
        .retVoid().build());
    k.image.add(k.image.c("ia32_sys_call", src).params(L.regs, L.nr)
        .callVia("switch (nr) { case N: return __ia32_sys_NAME(regs); }", x -> target(k, x.get(L.nr)),
            Args.of(x -> x.get(L.regs)), null)
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("__ia32_sys_ni_syscall", "kernel/sys_ni.c").params(L.regs)
        .ret("return -ENOSYS", x -> I386.ENOSYS).build());
    buildSwitchToAsm(k);
    buildRetFromFork(k);
    I386Sysenter.build(k);
  }

  /**
   * do_syscall_32_irqs_on (syscall_32.c@6.19:73-87, static __always_inline): nr from orig_ax,
   * regs->ax = ia32_sys_call(regs, nr).
   */
  static RoutineBuilder syscallIrqsOn(Kernel k, RoutineBuilder b) {
    return b.step("nr = regs->orig_ax", x -> x.set(L.nr,
            x.read(x.get(L.regs) + PtRegs.orig_ax.off(k))))
        .call("do_syscall_32_irqs_on(regs, nr) [inline]: regs->ax = ia32_sys_call(regs, nr)",
            "ia32_sys_call", Args.of(x -> x.get(L.regs), x -> x.get(L.nr)))
        .step("regs->ax = returned value",
            x -> x.write(x.get(L.regs) + PtRegs.ax.off(k), x.retval()));
  }

  /**
   * 6.19's SAVE_ALL (entry_32.S@6.19:205-237): a 0 in the gs slot (unless skip_gs: handle_exception
   * finds the handler's address there), fs (then __KERNEL_PERCPU), es, ds, ax, bp..bx; %edx is
   * clobbered loading __USER_DS into %ds/%es; with switch_stacks, SWITCH_TO_KERNEL_STACK: from the
   * entry stack, rep movsl the frame to TSS.sp1 - PTREGS_SIZE (TSS_entry2task_stack) and continue
   * there. From kernel mode FIXUP_FRAME (:106-164) first completes the frame with ss and sp.
   */
  static RoutineBuilder saveAll(Kernel k, RoutineBuilder b, boolean syscall) {
    return saveAll(k, b, syscall, true, false);
  }

  static boolean onEntryStack(Kernel k, Exec x) {
    return Long.compareUnsigned(EntryStack.top(k, x.cpu().id()) - 1 - x.sp(),
        k.image.constant("ENTRY_STACK_SIZE")) < 0;
  }

  static RoutineBuilder saveAll(Kernel k, RoutineBuilder b, boolean syscall, boolean switchStacks,
      boolean skipGs) {
    if (skipGs) {
      b.step("cld (skip_gs: the gs slot already holds the handler's address)", x -> { });
    } else {
      b.step("cld; pushl $0: the gs slot, unused", x -> x.push(0));
    }
    b.step("pushl %fs; pushl %eax; movl $__KERNEL_PERCPU, %eax; movl %eax, %fs; popl %eax", x -> {
      x.push(x.reg(Regs.fs));
      x.set(Regs.fs, I386.KERNEL_PERCPU);
      x.set(Regs.fs_base, k.perCpuOffset(x.cpu().id()));
    });
    b.step("FIXUP_FRAME: andl $0xffff, 4*4(%esp); from kernel mode: orl $CS_FROM_KERNEL there, "
        + "pushl %ss; pushl %esp; addl $7*4, (%esp) (the interrupted esp); pushl 7*4(%esp) six "
        + "times: a full iret frame below the short one, which stays as a gap", I386Entry619::fixupFrame);
    for (String r : new String[] {"es", "ds", "ax", "bp", "di", "si", "dx", "cx", "bx"}) {
      if (r.equals("ax") && syscall) {
        b.step("pushl $-ENOSYS: pt_regs->ax", x -> x.push(I386.ENOSYS));
      } else {
        String reg = r.length() == 2 && r.charAt(1) == 's' ? r : "e" + r;
        int ri = Regs.of(reg);
        b.step("pushl %" + reg + ": pt_regs->" + r, x -> x.push(x.reg(ri)));
      }
    }
    if (!switchStacks) {
      return b.step("movl $__USER_DS, %edx; movl %edx, %ds; movl %edx, %es (switch_stacks=0: no "
          + "SWITCH_TO_KERNEL_STACK)", I386Entry619::userDataSegments);
    }
    kstack.kernel.LinkedAddress tss = k.image.ref("cpu_tss_rw");
    int sp1Off = Tss.sp1.off(k);
    int csOff = PtRegs.cs.off(k);
    return b.step("movl $__USER_DS, %edx; movl %edx, %ds; movl %edx, %es; SWITCH_TO_KERNEL_STACK: on "
        + "the entry stack? from user mode copy the pt_regs to TSS.sp1 - PTREGS_SIZE; from kernel "
        + "mode mark cs CS_FROM_ENTRY_STACK and copy the whole entry stack (top - esp bytes); move "
        + "there", x -> {
          userDataSegments(x);
          if (onEntryStack(k, x)) {
            long sp1 = x.read(I386Entry.fs(x, tss) + sp1Off);
            long cs = x.sp() + csOff;
            long n = 68;
            if ((x.read(cs) & 3) != 3) {
              x.write(cs, x.read(cs) | CS_FROM_ENTRY_STACK);
              n = EntryStack.top(k, x.cpu().id()) - x.sp();
            }
            k.mem.copy(sp1 - n, x.sp(), (int) n);
            x.setSp(sp1 - n);
          }
        });
  }

  /** CS_FROM_ENTRY_STACK (entry_32.S@6.19:101): SWITCH_TO_KERNEL_STACK moved a kernel-mode frame. */
  static final long CS_FROM_ENTRY_STACK = 1L << 31;

  /**
   * PARANOID_EXIT_TO_KERNEL_MODE (entry_32.S@6.19:553-606): a frame SWITCH_TO_KERNEL_STACK copied
   * off the entry stack goes back there, TSS.sp1 - esp bytes below TSS.sp0, so the interrupted
   * code resumes on the stack it was using.
   */
  static void paranoidExitToKernelMode(Kernel k, Exec x) {
    long cs = x.sp() + PtRegs.cs.off(k);
    if ((x.read(cs) & CS_FROM_ENTRY_STACK) == 0) {
      return;
    }
    x.write(cs, x.read(cs) & ~CS_FROM_ENTRY_STACK);
    long tss = I386Entry.fs(k, x, "cpu_tss_rw");
    long n = x.read(tss + Tss.sp1.off(k)) - x.sp();
    long to = x.read(tss + Tss.sp0.off(k)) - n;
    k.mem.copy(to, x.sp(), (int) n);
    x.setSp(to);
  }

  /**
   * FIXUP_FRAME (entry_32.S@6.19:106-164): from kernel mode the CPU pushed no ss/esp, so the entry
   * builds a complete frame 8 words lower (ss, the interrupted esp, then copies of flags, cs, ip,
   * orig_ax, the gs slot, fs) and marks its cs CS_FROM_KERNEL; regs->sp is then a real value.
   */
  static void fixupFrame(Exec x) {
    long sp = x.sp();
    long cs = x.read(sp + 16) & 0xffff;
    x.write(sp + 16, cs);
    if ((cs & 3) != 0 || (x.read(sp + 20) & (1L << 17)) != 0) {
      return;
    }
    x.write(sp + 16, cs | I386.CS_FROM_KERNEL);
    x.push(x.reg(Regs.ss));
    x.push(x.sp() + 7 * 4); // pushl %esp pushes the value before the push; then addl $7*4
    for (int i = 0; i < 6; i++) {
      x.push(x.read(x.sp() + 7 * 4));
    }
  }

  /**
   * RESTORE_REGS pop=4 (entry_32.S@6.19:256-272) with IRET_FRAME (:166-203): a frame FIXUP_FRAME
   * built goes back to the 3-word iret frame right below the interrupted esp.
   */
  /** RESTORE_REGS' pops, first to last. */
  private static final int[] RESTORE_REGS = {Regs.ebx, Regs.ecx, Regs.edx, Regs.esi, Regs.edi,
      Regs.ebp, Regs.eax, Regs.ds, Regs.es, Regs.fs};

  static void restoreRegs4(Exec x) {
    for (int r : RESTORE_REGS) {
      x.set(r, x.pop());
    }
    x.setSp(x.sp() + 8);
    long cs = x.read(x.sp() + 4);
    if ((cs & I386.CS_FROM_KERNEL) != 0) {
      long to = x.read(x.sp() + 12);
      x.write(to - 4, x.read(x.sp() + 8));
      x.write(to - 8, cs & 0xffff);
      x.write(to - 12, x.read(x.sp()));
      x.write(to - 16, x.reg(Regs.eax)); // pushl %eax ... lea -4*4(%eax), %esp; popl %eax
      x.setSp(to - 12);
    }
  }

  private static void userDataSegments(Exec x) {
    x.set(Regs.edx, I386.USER_DS);
    x.set(Regs.ds, I386.USER_DS);
    x.set(Regs.es, I386.USER_DS);
  }

  private static long target(Kernel k, long nr) {
    return k.image.sysCallTarget(nr, "__ia32_sys_ni_syscall");
  }

  /** __switch_to_asm (entry_32.S@6.19:672-715): eflags saved too, against AC leakage. */
  private static void buildSwitchToAsm(Kernel k) {
    RoutineBuilder b = k.image.asm("__switch_to_asm", ENTRY);
    for (String r : new String[] {"ebp", "ebx", "edi", "esi"}) {
      int ri = Regs.of(r);
      b.step("pushl %" + r, x -> x.push(x.reg(ri)));
    }
    b.step("pushfl", x -> x.push(x.reg(Regs.eflags)))
        .step("movl %esp, TASK_threadsp(%eax); movl TASK_threadsp(%edx), %esp", x -> {
          k.tasks.taskWrite(x.reg(Regs.eax), TaskMember.thread_sp, x.sp());
          x.setSp(k.tasks.threadSp(x.reg(Regs.edx)));
        })
        .step("movl TASK_stack_canary(%edx), %ebx; movl %ebx, PER_CPU_VAR(__stack_chk_guard); "
            + "FILL_RETURN_BUFFER", x -> {
              long canary = k.tasks.taskRead(x.reg(Regs.edx), TaskMember.stack_canary);
              x.set(Regs.ebx, canary);
              x.write(I386Entry.fs(k, x, "__stack_chk_guard"), canary);
            })
        .step("popfl", x -> x.set(Regs.eflags, x.pop() | 0x2));
    for (String r : new String[] {"esi", "edi", "ebx", "ebp"}) {
      int ri = Regs.of(r);
      b.step("popl %" + r, x -> x.set(ri, x.pop()));
    }
    k.image.add(b.step("jmp __switch_to", k.image.jump("__switch_to")).build());
  }

  /**
   * ret_from_fork_asm (entry_32.S@6.19:726-741) and the C ret_from_fork (process.c@6.19:151-168):
   * the pushed return address is entry_INT80_32's .Lsyscall_32_done (:941), so the final RET runs
   * STACKLEAK_ERASE and restore_all_switch_stack with esp at the child's pt_regs.
   */
  private static void buildRetFromFork(Kernel k) {
    k.image.add(k.image.asm("ret_from_fork_asm", ENTRY)
        .step("movl %esp, %edx (regs); pushl $.Lsyscall_32_done: a return address for the unwinder",
            x -> {
              x.set(Regs.edx, x.sp());
              kstack.exec.Routine int80 = x.host().routineAt(k.image.symbol("entry_INT80_32"));
              x.push(int80.address(int80.label(SYSCALL_32_DONE)));
            })
        .step("FRAME_BEGIN: pushl %ebp; movl %esp, %ebp", x -> {
          x.push(x.fp());
          x.setFp(x.sp());
        })
        .call("movl %ebx, %ecx (fn); pushl %edi (fn_arg); call ret_from_fork; addl $4, %esp",
            "ret_from_fork", Args.of(x -> x.reg(Regs.eax), x -> x.reg(Regs.edx), x -> x.reg(Regs.ebx), x -> x.reg(Regs.edi)))
        .step("FRAME_END: popl %ebp", x -> x.setFp(x.pop()))
        .step("RET: into .Lsyscall_32_done", x -> x.ret(x.pop())).build());
    k.image.add(k.image.c("ret_from_fork", "arch/x86/kernel/process.c").params(L.prev, L.regs, L.fn, L.fn_arg)
        .call("schedule_tail(prev)", "schedule_tail", Args.of(x -> x.get(L.prev)))
        .branchIf("user", "if (unlikely(fn)) {", x -> x.get(L.fn) == 0)
        .callVia("  fn(fn_arg): a kernel thread's function (returns only after a successful exec)",
            x -> x.get(L.fn), Args.of(x -> x.get(L.fn_arg)), null)
        .step("  regs->ax = 0", x -> x.write(x.get(L.regs) + PtRegs.ax.off(k), 0))
        .label("user")
        .step("syscall_exit_to_user_mode(regs) [inline]", x -> { })
        .retVoid().build());
  }

  static String wrapperSymbol(String name, int nargs) {
    // syscall_32.tbl@6.19: 162 and 267 are the 32-bit-time nanosleep_time32, clock_nanosleep_time32
    boolean time32 = name.equals("nanosleep") || name.equals("clock_nanosleep");
    return SyscallWrappers.symbol("__ia32", true, time32 ? name + "_time32" : name, nargs);
  }
}
