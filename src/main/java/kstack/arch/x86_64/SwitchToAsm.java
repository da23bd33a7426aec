package kstack.arch.x86_64;

import java.util.List;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.LinkedAddress;
import kstack.kernel.TaskMember;

/**
 * The switch through __switch_to_asm (entry_64.S) and __switch_to (process_64.c): prev's
 * callee-saved registers as an inactive_task_frame at thread.sp, a new task's fork_frame from
 * copy_thread. What the generations with it share; each module names its own pieces.
 */
public abstract class SwitchToAsm implements SwitchFrame64 {
  enum L implements Local {
      arg, args, childregs, clone_flags, fn, fn_arg, frame, next_p, p, prev, prev_p, regs, sp, tls
  }

  /** The per-CPU word the stack protector reads, as __switch_to_asm names it. */
  abstract String canaryWord();

  /** Its symbol and offset. */
  abstract String canarySymbol();

  abstract long canaryOffset();

  /** ret_from_fork, where a new task's first switch lands. */
  abstract void buildRetFromFork(Kernel k);

  @Override
  public void buildEntryHalf(Kernel k) {
    buildSwitchToAsm(k);
    buildRetFromFork(k);
  }

  /**
   * __switch_to_asm (entry_64.S@4.16.13, @6.19): prev's callee-saved registers as an
   * inactive_task_frame, next's stack, next's stack canary into the per-CPU word the compiler
   * reads it from, then jmp __switch_to.
   */
  private void buildSwitchToAsm(Kernel k) {
    RoutineBuilder b = k.image.asm("__switch_to_asm", X86Entry.ENTRY);
    LinkedAddress canaryWord = k.image.ref(canarySymbol());
    LinkedAddress switchTo = k.image.ref("__switch_to");
    for (String r : new String[] {"rbp", "rbx", "r12", "r13", "r14", "r15"}) {
      int ri = Regs.of(r);
      b.step("pushq %" + r + " (inactive_task_frame)", x -> x.push(x.reg(ri)));
    }
    b.step("movq %rsp, TASK_threadsp(%rdi): prev->thread.sp",
            x -> k.tasks.taskWrite(x.reg(Regs.rdi), TaskMember.thread_sp, x.sp()))
        .step("movq TASK_threadsp(%rsi), %rsp: the stack of next", x -> x.setSp(k.tasks.threadSp(x.reg(Regs.rsi))))
        .step("movq TASK_stack_canary(%rsi), %rbx; movq %rbx, PER_CPU_VAR(" + canaryWord() + ")",
            x -> {
              long canary = k.tasks.taskRead(x.reg(Regs.rsi), TaskMember.stack_canary);
              x.set(Regs.rbx, canary);
              x.write(X86Entry.gs(x, canaryWord) + canaryOffset(), canary);
            });
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbx", "rbp"}) {
      int ri = Regs.of(r);
      b.step("popq %" + r, x -> x.set(ri, x.pop()));
    }
    k.image.add(b.step("jmp __switch_to", x -> x.jumpTo(switchTo.get())).build());
  }

  /** How __switch_to writes the per-CPU words (this_cpu_write, raw_cpu_write). */
  abstract String cpuWrite();

  /** Where cpu_current_top_of_stack lives, as __switch_to's step notes it ("" if itself). */
  abstract String topOfStackNote();

  /** __switch_to's words on TSS.sp0, which stays on the entry stack. */
  abstract String sp0Step();

  /** copy_thread's routine with its parameters (copy_thread_tls or copy_thread(p, args)). */
  abstract RoutineBuilder copyThreadHead(Kernel k);

  /** The fork_frame's frame pointer and return address step, and its bp value. */
  abstract String forkFrameStep();

  abstract long forkFrameBp(long childregs);

  /** Where the new task's first switch lands. */
  abstract String retFromFork();

  /** A kernel thread's frame: the words, and where fn and its argument come from. */
  abstract String kthreadFrameStep();

  abstract long kthreadFn(Kernel k, Exec x);

  abstract long kthreadArg(Kernel k, Exec x);

  /** The steps between the kthread case and the plain fork (6.x's user_mode_thread case). */
  void userModeThread(Kernel k, RoutineBuilder b) {}

  /** The clone's stack, flags and TLS as copy_thread receives them. */
  abstract long childSp(Kernel k, Exec x);

  abstract long cloneFlags(Kernel k, Exec x);

  abstract long tls(Kernel k, Exec x);

  /** copy_thread's last step: CLONE_SETTLS and the return. */
  abstract String settlsStep();

  /** How arch_cpu_idle reaches default_idle (Idle.X86_IDLE, Idle.STATIC_CALL_X86_IDLE). */
  abstract String idleCall();

  /** include/uapi/linux/sched.h: set the TLS (fs base on x86_64). */
  static final long CLONE_SETTLS = 0x00080000;

  @Override
  public void build(Kernel k) {
    buildSwitchTo(k);
    buildCopyThread(k);
    X86Process.buildStartThread(k, idleCall());
  }

  /**
   * __switch_to (process_64.c): next becomes current and publishes its stack top; TSS.sp0 stays
   * on the entry stack.
   */
  private void buildSwitchTo(Kernel k) {
    LinkedAddress current = k.image.ref("current_task");
    LinkedAddress top = k.perCpuRef("cpu_current_top_of_stack");
    k.image.add(k.image.c("__switch_to", "arch/x86/kernel/process_64.c").params(L.prev_p, L.next_p)
        .step("save prev's segments and FS/GS bases; load next's TLS (not modelled)", x -> { })
        .step(cpuWrite() + "(current_task, next_p)",
            x -> x.write(X86Entry.gs(x, current), x.get(L.next_p)))
        .step(cpuWrite() + "(cpu_current_top_of_stack, task_top_of_stack(next_p))"
                + topOfStackNote(),
            x -> x.write(X86Entry.gs(x, top),
                k.arch.taskTopOfStack(k, x.get(L.next_p))))
        .step(sp0Step(), x -> { })
        .ret("return prev_p", x -> x.get(L.prev_p)).build());
  }

  /**
   * copy_thread_tls (process_64.c@4.16.13:267-304) / copy_thread (process.c@6.19:170-270): the
   * child's pt_regs at task_pt_regs(p), the inactive_task_frame just below it, thread.sp at the
   * frame.
   */
  private void buildCopyThread(Kernel k) {
    int frameSize = k.image.struct("inactive_task_frame").size();
    RoutineBuilder b = copyThreadHead(k);
    b.locals(L.childregs, L.frame)
        .step("childregs = task_pt_regs(p); fork_frame = container_of(childregs, struct fork_frame, "
            + "regs); frame = &fork_frame->frame", x -> {
              long regs = k.arch.taskPtRegs(k, x.get(L.p));
              x.set(L.childregs, regs);
              x.set(L.frame, regs - frameSize);
            })
        .step(forkFrameStep(), x -> {
              long f = x.get(L.frame);
              x.write(f + InactiveTaskFrame.bp.off(k), forkFrameBp(x.get(L.childregs)));
              x.write(f + InactiveTaskFrame.ret_addr.off(k), k.image.symbol(retFromFork()));
              k.tasks.taskWrite(x.get(L.p), TaskMember.thread_sp, f);
            })
        .step("p->thread.fsindex/gsindex/fsbase/gsbase = current's; savesegment(es/ds)", x -> { })
        .branchIf("user", "if (unlikely(p->flags & PF_KTHREAD)) {",
            x -> !k.tasks.isKthread(x.get(L.p)))
        .step("  memset(childregs, 0, sizeof(struct pt_regs)); " + kthreadFrameStep(), x -> {
          k.mem.zero(x.get(L.childregs), k.image.struct("pt_regs").size());
          long f = x.get(L.frame);
          x.write(f + InactiveTaskFrame.bx.off(k), kthreadFn(k, x));
          x.write(f + InactiveTaskFrame.r12.off(k), kthreadArg(k, x));
        })
        .ret("  return 0", x -> 0)
        .label("user");
    userModeThread(k, b);
    b.step("frame->bx = 0; *childregs = *current_pt_regs(); childregs->ax = 0; "
            + "if (sp) childregs->sp = sp", x -> {
              x.write(x.get(L.frame) + InactiveTaskFrame.bx.off(k), 0);
              copyRegs(k, x);
              long r = x.get(L.childregs);
              x.write(r + PtRegs.ax.off(k), 0);
              long sp = childSp(k, x);
              if (sp != 0) {
                x.write(r + PtRegs.sp.off(k), sp);
              }
            })
        .ret(settlsStep(), x -> {
          // process.c@6.19:141-148,266-267, process_64.c@6.19:899-923; @4.16.13:320-327,623-630
          if ((cloneFlags(k, x) & CLONE_SETTLS) != 0) {
            k.tasks.taskWrite(x.get(L.p), TaskMember.thread_fsbase, tls(k, x));
          }
          return 0;
        });
    k.image.add(b.build());
  }

  /** *childregs = *current_pt_regs(). */
  static void copyRegs(Kernel k, Exec x) {
    long cur = k.current(x);
    k.mem.copy(x.get(L.childregs), k.arch.taskPtRegs(k, cur), k.image.struct("pt_regs").size());
  }

  /** schedule() calls context_switch → switch_to, the macro: nothing is inlined. */
  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    throw new IllegalStateException("switch_to is __switch_to_asm here, not inline in schedule()");
  }

  /** asm/elf.h@4.16.13:172-186, @6.19:153-167: ax keeps execve's return value. */
  @Override
  public List<PtRegs> elfPlatInitRegs() {
    return List.of(PtRegs.bx, PtRegs.cx, PtRegs.dx, PtRegs.si, PtRegs.di, PtRegs.bp,
        PtRegs.r8, PtRegs.r9, PtRegs.r10, PtRegs.r11, PtRegs.r12, PtRegs.r13,
        PtRegs.r14, PtRegs.r15);
  }
}
