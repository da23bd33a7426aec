package kstack.arch.i386;

import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;

/**
 * arch/x86/kernel/process_32.c (4.16.13): __switch_to makes next current and moves TSS.sp0 to its
 * stack (on i386 interrupts from user mode land on the task stack itself), copy_thread_tls forges
 * the child's fork_frame below its pt_regs, start_thread aims pt_regs at the new program.
 * Research: docs/research/i386-and-2.x.md §4.4-4.5.
 */
final class I386Process {
  enum L implements Local {
      arg, args, childregs, clone_flags, frame, new_ip, new_sp, next_p, p, prev_p, regs, sp, tls
  }

  private I386Process() {}

  static final String SRC = "arch/x86/kernel/process_32.c";

  /**
   * __switch_to (process_32.c): fpu and TLS (prologue), then where the next task's stack top goes
   * (4.16: update_sp0 loads TSS.sp0; 6.19: update_task_stack writes TSS.sp1, since TSS.sp0 stays
   * the entry stack: stackTopInSp1), cpu_current_top_of_stack, and current_task (currentWrite: the
   * statement that writes it).
   */
  static void buildSwitchTo(Kernel k, String prologue, boolean stackTopInSp1, String currentWrite) {
    RoutineBuilder st = k.image.c("__switch_to", SRC).params(L.prev_p, L.next_p)
        .step(prologue, x -> { });
    if (stackTopInSp1) {
      st.step("update_task_stack(next_p): this_cpu_write(cpu_tss_rw.x86_tss.sp1, next->thread.sp0): "
          + "where SWITCH_TO_KERNEL_STACK will copy the next frame (TSS.sp0 stays the entry stack)",
          x -> x.write(I386Entry.fs(k, x, "cpu_tss_rw") + Tss.sp1.off(k),
              k.tasks.taskRead(x.get(L.next_p), TaskMember.thread_sp0)));
    } else {
      st.step("update_sp0(next_p): load_sp0(next->thread.sp0): TSS.sp0 = the top of next's stack, "
          + "where int $0x80 and interrupts from user mode will land", x -> {
            long tss = I386Entry.fs(k, x, "cpu_tss_rw");
            x.write(tss + Tss.sp0.off(k),
                k.tasks.taskRead(x.get(L.next_p), TaskMember.thread_sp0));
          });
    }
    k.image.add(st.step("this_cpu_write(cpu_current_top_of_stack, (unsigned long)task_stack_page(next_p) + "
            + "THREAD_SIZE)", x -> x.write(I386Entry.fs(k, x, "cpu_current_top_of_stack"),
                k.stacks.taskStackPage(x.get(L.next_p)) + k.threadSize))
        .step(currentWrite + "(current_task, next_p)",
            x -> x.write(I386Entry.fs(k, x, "current_task"), x.get(L.next_p)))
        .ret("return prev_p", x -> x.get(L.prev_p)).build());
  }

  /**
   * start_thread: pt_regs aimed at the new program. 2.6.32 leaves regs->flags as the exec caller's
   * (process_32.c@2.6.32.67:296-311); 4.16 sets it to X86_EFLAGS_IF and forces the IRET return
   * (process_32.c@4.16.13:186-198); 6.19 clears the live %gs instead of regs->gs, since with no
   * lazy-gs scheme the kernel never uses %gs (process_32.c@6.19:112-123). tail: the statements
   * after regs->sp; setsFlags: whether regs->flags is set.
   */
  static void buildStartThread(Kernel k, boolean clearsLiveGs, String tail, boolean setsFlags) {
    k.image.add(k.image.c("start_thread", SRC).params(L.regs, L.new_ip, L.new_sp)
        .step((clearsLiveGs ? "loadsegment(gs, 0)" : "set_user_gs(regs, 0)") + "; regs->fs = 0; "
            + "regs->ds = regs->es = regs->ss = __USER_DS; regs->cs = __USER_CS; regs->ip = "
            + "new_ip; regs->sp = new_sp" + tail, x -> {
              long r = x.get(L.regs);
              if (clearsLiveGs) {
                x.set(Regs.gs, 0);
              } else {
                put(k, x, r, PtRegs.gs, 0);
              }
              put(k, x, r, PtRegs.fs, 0);
              put(k, x, r, PtRegs.ds, I386.USER_DS);
              put(k, x, r, PtRegs.es, I386.USER_DS);
              put(k, x, r, PtRegs.ss, I386.USER_DS);
              put(k, x, r, PtRegs.cs, I386.USER_CS);
              put(k, x, r, PtRegs.ip, x.get(L.new_ip));
              put(k, x, r, PtRegs.sp, x.get(L.new_sp));
              if (setsFlags) {
                put(k, x, r, PtRegs.flags, I386.EFLAGS_IF);
              }
            })
        .retVoid().build());
  }

  private static void put(Kernel k, Exec x, long regs, PtRegs field, long v) {
    x.write(regs + field.off(k), v);
  }

  /**
   * copy_thread (arch/x86/kernel/process.c@6.19:170-273) on X86_32: frame->bp = the encoded
   * childregs (bit 31 clear), ret_addr = ret_from_fork_asm, flags = X86_EFLAGS_FIXED, thread.sp0 =
   * childregs + 1; a kernel thread gets bx = fn, di = arg (kthread_frame_init).
   */
  static void buildCopyThread6(Kernel k) {
    int frameSize = k.image.struct("inactive_task_frame").size();
    k.image.add(k.image.c("copy_thread", "arch/x86/kernel/process.c").params(L.p, L.args)
        .locals(L.childregs, L.frame)
        .step("childregs = task_pt_regs(p); fork_frame = container_of(childregs, ...); frame = "
            + "&fork_frame->frame", x -> {
              long regs = k.arch.taskPtRegs(k, x.get(L.p));
              x.set(L.childregs, regs);
              x.set(L.frame, regs - frameSize);
            })
        .step("frame->bp = encode_frame_pointer(childregs); frame->ret_addr = ret_from_fork_asm; "
            + "p->thread.sp = fork_frame; p->thread.sp0 = childregs + 1; frame->flags = "
            + "X86_EFLAGS_FIXED", x -> {
              long f = x.get(L.frame);
              long r = x.get(L.childregs);
              x.write(f + InactiveTaskFrame.bp.off(k), r & 0x7fffffffL);
              x.write(f + InactiveTaskFrame.ret_addr.off(k), k.image.symbol("ret_from_fork_asm"));
              x.write(f + InactiveTaskFrame.flags.off(k), 0x2);
              k.tasks.taskWrite(x.get(L.p), TaskMember.thread_sp, f);
              k.tasks.taskWrite(x.get(L.p), TaskMember.thread_sp0, r + 68);
            })
        .branchIf("user", "if (unlikely(p->flags & PF_KTHREAD)) {", x -> !k.tasks.isKthread(x.get(L.p)))
        .step("  memset(childregs, 0, sizeof(struct pt_regs)); kthread_frame_init(frame, args->fn, "
            + "args->fn_arg): frame->bx = fn, frame->di = arg", x -> {
              k.mem.zero(x.get(L.childregs), 68);
              kthreadFrameInit(k, x);
            })
        .ret("  return 0", x -> 0)
        .label("user")
        .step("frame->bx = 0; *childregs = *current_pt_regs(); childregs->ax = 0; "
            + "if (sp) childregs->sp = sp", x -> {
              x.write(x.get(L.frame) + InactiveTaskFrame.bx.off(k), 0);
              long r = x.get(L.childregs);
              k.mem.copy(r, k.arch.taskPtRegs(k, k.current(x)), 68);
              x.write(r + PtRegs.ax.off(k), 0);
              long sp = k.cloneArg(x, x.get(L.args), "stack");
              if (sp != 0) {
                x.write(r + PtRegs.sp.off(k), sp);
              }
            })
        .branchIf("plain", "if (unlikely(args->fn)) {  /* user_mode_thread, e.g. pid 1 */",
            x -> k.cloneArg(x, x.get(L.args), "fn") == 0)
        .step("  childregs->sp = 0; childregs->ip = 0; kthread_frame_init(frame, args->fn, "
            + "args->fn_arg)", x -> {
              long r = x.get(L.childregs);
              x.write(r + PtRegs.sp.off(k), 0);
              x.write(r + PtRegs.ip.off(k), 0);
              kthreadFrameInit(k, x);
            })
        .ret("  return 0", x -> 0)
        .label("plain")
        .ret("return 0 (CLONE_SETTLS not modelled)", x -> 0).build());
  }

  /** kthread_frame_init (switch_to.h@6.19:81-90) on X86_32: frame->bx = fn, frame->di = fn_arg. */
  private static void kthreadFrameInit(Kernel k, Exec x) {
    long f = x.get(L.frame);
    x.write(f + InactiveTaskFrame.bx.off(k), k.cloneArg(x, x.get(L.args), "fn"));
    x.write(f + InactiveTaskFrame.di.off(k), k.cloneArg(x, x.get(L.args), "fn_arg"));
  }

  /**
   * copy_thread_tls (process_32.c@4.16.13:124-180): childregs = task_pt_regs(p), the 20-byte
   * inactive_task_frame right below it, thread.sp at the frame, thread.sp0 = childregs + 1.
   */
  static void buildCopyThread(Kernel k) {
    int frameSize = k.image.struct("inactive_task_frame").size();
    k.image.add(k.image.c("copy_thread_tls", SRC).params(L.clone_flags, L.sp, L.arg, L.p, L.tls)
        .locals(L.childregs, L.frame)
        .step("childregs = task_pt_regs(p); fork_frame = container_of(childregs, struct fork_frame, "
            + "regs); frame = &fork_frame->frame", x -> {
              long regs = k.arch.taskPtRegs(k, x.get(L.p));
              x.set(L.childregs, regs);
              x.set(L.frame, regs - frameSize);
            })
        .step("frame->bp = 0; frame->ret_addr = ret_from_fork; p->thread.sp = fork_frame; "
            + "p->thread.sp0 = (unsigned long)(childregs + 1)", x -> {
              long f = x.get(L.frame);
              x.write(f + InactiveTaskFrame.bp.off(k), 0);
              x.write(f + InactiveTaskFrame.ret_addr.off(k), k.image.symbol("ret_from_fork"));
              k.tasks.taskWrite(x.get(L.p), TaskMember.thread_sp, f);
              k.tasks.taskWrite(x.get(L.p), TaskMember.thread_sp0, x.get(L.childregs) + 68);
            })
        .branchIf("user", "if (unlikely(p->flags & PF_KTHREAD)) {", x -> !k.tasks.isKthread(x.get(L.p)))
        .step("  memset(childregs, 0, sizeof(struct pt_regs)); frame->bx = sp (the function); "
            + "frame->di = arg", x -> {
              k.mem.zero(x.get(L.childregs), 68);
              long f = x.get(L.frame);
              x.write(f + InactiveTaskFrame.bx.off(k), x.get(L.sp));
              x.write(f + InactiveTaskFrame.di.off(k), x.get(L.arg));
            })
        .ret("  return 0", x -> 0)
        .label("user")
        .step("frame->bx = 0; *childregs = *current_pt_regs(); childregs->ax = 0; "
            + "if (sp) childregs->sp = sp", x -> {
              x.write(x.get(L.frame) + InactiveTaskFrame.bx.off(k), 0);
              long r = x.get(L.childregs);
              k.mem.copy(r, k.arch.taskPtRegs(k, k.current(x)), 68);
              x.write(r + PtRegs.ax.off(k), 0);
              if (x.get(L.sp) != 0) {
                x.write(r + PtRegs.sp.off(k), x.get(L.sp));
              }
            })
        .ret("task_user_gs(p) = get_user_gs(current_pt_regs()); return 0 (CLONE_SETTLS not "
            + "modelled)", x -> 0).build());
  }
}
