package kstack.arch.x86_64;

import java.util.List;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.kernel.ThreadInfoMember;
import kstack.profile.Feature;

/**
 * arch/x86/kernel/process_64.c, process.c and asm/system.h at 2.6.32 (docs/research/i386-and-2.x.md
 * §7.3-7.5): switch_to inline in schedule() (SAVE_CONTEXT, call __switch_to, thread_return with its
 * TIF_FORK test), __switch_to moving TSS.sp0, old_rsp, current_task and kernel_stack, copy_thread
 * (thread.sp = childregs, TIF_FORK), sys_fork/sys_clone/sys_execve taking pt_regs, start_thread and
 * cpu_idle.
 */
public final class SwitchToInline2632 implements SwitchFrame64 {
  enum L implements Local {
      argv, child_tid, childregs, clone_flags, envp, error, filename, name, new_ip, new_sp, newsp,
      next, next_p, p, parent_tid, prev, prev_p, regs, sp, unused
  }


  static final String SRC = "arch/x86/kernel/process_64.c";

  /** switch_to (arch/x86/include/asm/system.h@2.6.32:100-149) as steps of schedule(). */
  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    b.step("  switch_to(prev, next, last) [inline asm]: rdi = prev, rsi = next; SAVE_CONTEXT: pushf; "
            + "pushq %rbp; movq %rsi, %rbp", x -> {
              x.set(Regs.rdi, x.get(L.prev));
              x.set(Regs.rsi, x.get(L.next));
              x.push(x.reg(Regs.eflags));
              x.push(x.fp());
              x.setFp(x.reg(Regs.rsi));
            })
        .step("  movq %rsp, prev->thread.sp; movq next->thread.sp, %rsp: next's stack", x -> {
          k.tasks.taskWrite(x.reg(Regs.rdi), TaskMember.thread_sp, x.sp());
          x.setSp(k.tasks.taskRead(x.reg(Regs.rsi), TaskMember.thread_sp));
        })
        .call("  call __switch_to: its return address, thread_return, goes on next's stack",
            "__switch_to", Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi)))
        .globalLabel("thread_return")
        .step("  thread_return: movq %gs:current_task, %rsi; __switch_canary; movq task->stack, %r8; "
            + "movq %rax, %rdi", x -> {
              long next = x.read(X86Entry.gs(k, x, "current_task"));
              x.set(Regs.rsi, next);
              x.write(X86Entry.gs(k, x, "irq_stack_union") + 40, k.tasks.taskRead(next, TaskMember.stack_canary));
              x.set(Regs.r8, k.stacks.stack(next));
              x.set(Regs.rdi, x.reg(Regs.rax));
            })
        .branchIf("forked", "  testl $_TIF_FORK, TI_flags(%r8); jnz ret_from_fork",
            x -> (x.read(x.reg(Regs.r8) + k.tasks.tiOff(ThreadInfoMember.flags), 4)
                & (1L << PartialFrame2632.TIF_FORK)) != 0)
        .step("  RESTORE_CONTEXT: movq %rbp, %rsi; popq %rbp; popf", x -> {
          x.set(Regs.rsi, x.fp());
          x.setFp(x.pop());
          x.set(Regs.eflags, x.pop() | 0x2);
        })
        .jump("switched", "  (on with last = prev in rax)")
        .label("forked")
        .step("  jnz ret_from_fork: a new task's first run", k.image.jump("ret_from_fork"))
        .label("switched");
  }

  @Override
  public void build(Kernel k) {
    // __switch_to (process_64.c@2.6.32:376-497)
    k.image.add(k.image.c("__switch_to", SRC).params(L.prev_p, L.next_p)
        .step("preload_fpu = tsk_used_math(next_p) && next_p->fpu_counter > 5; load_sp0(tss, next): "
            + "tss->x86_tss.sp0 = next->thread.sp0",
            x -> x.write(X86Entry.gs(k, x, "init_tss") + Tss.sp0.off(k),
                k.tasks.taskRead(x.get(L.next_p), TaskMember.thread_sp0)))
        .step("switch es and ds; save the fs and gs selectors; load_TLS(next, cpu); "
            + "unlazy_fpu(prev_p); arch_end_context_switch(next_p); switch fs and gs and their bases "
            + "(not modelled)", x -> { })
        .step("prev->usersp = percpu_read(old_rsp); percpu_write(old_rsp, next->usersp)", x -> {
          k.tasks.taskWrite(x.get(L.prev_p), TaskMember.thread_usersp, x.read(X86Entry.gs(k, x, "old_rsp")));
          x.write(X86Entry.gs(k, x, "old_rsp"), k.tasks.taskRead(x.get(L.next_p), TaskMember.thread_usersp));
        })
        .step("percpu_write(current_task, next_p); percpu_write(kernel_stack, "
            + "task_stack_page(next_p) + THREAD_SIZE - KERNEL_STACK_OFFSET)", x -> {
              x.write(X86Entry.gs(k, x, "current_task"), x.get(L.next_p));
              x.write(X86Entry.gs(k, x, "kernel_stack"),
                  k.stacks.taskStackPage(x.get(L.next_p)) + k.threadSize - 40);
            })
        .ret("__switch_to_xtra() only for debug registers or an I/O bitmap; if (preload_fpu) "
            + "__math_state_restore(); return prev_p", x -> x.get(L.prev_p)).build());
    // copy_thread (process_64.c@2.6.32:275-344)
    k.image.add(k.image.c("copy_thread", SRC).params(L.clone_flags, L.sp, L.unused, L.p, L.regs)
        .locals(L.childregs)
        .step("childregs = ((struct pt_regs *)(THREAD_SIZE + task_stack_page(p))) - 1",
            x -> x.set(L.childregs, k.arch.taskPtRegs(k, x.get(L.p))))
        .step("*childregs = *regs; childregs->ax = 0; childregs->sp = sp; if (sp == ~0UL) "
            + "childregs->sp = (unsigned long)childregs", x -> {
              long r = x.get(L.childregs);
              k.mem.copy(r, x.get(L.regs), 168);
              x.write(r + PtRegs.ax.off(k), 0);
              x.write(r + PtRegs.sp.off(k), x.get(L.sp) == -1 ? r : x.get(L.sp));
            })
        .step("p->thread.sp = childregs; p->thread.sp0 = childregs + 1; p->thread.usersp = "
            + "me->thread.usersp; set_tsk_thread_flag(p, TIF_FORK)", x -> {
              long p = x.get(L.p);
              long r = x.get(L.childregs);
              k.tasks.taskWrite(p, TaskMember.thread_sp, r);
              k.tasks.taskWrite(p, TaskMember.thread_sp0, r + 168);
              k.tasks.taskWrite(p, TaskMember.thread_usersp, k.tasks.taskRead(k.current(x), TaskMember.thread_usersp));
              k.tasks.tiWrite(p, ThreadInfoMember.flags, k.tasks.tiRead(p, ThreadInfoMember.flags) | (1L << PartialFrame2632.TIF_FORK));
            })
        .ret("save the gs, fs, es and ds selectors (and the fs/gs bases) into p->thread; no I/O "
            + "bitmap, no CLONE_SETTLS; clear TIF_DS_AREA_MSR and TIF_DEBUGCTLMSR; return 0",
            x -> 0).build());
    k.image.add(k.image.c("sys_fork", "arch/x86/kernel/process.c").params(L.regs)
        .call("return do_fork(SIGCHLD, regs->sp, regs, 0, NULL, NULL)", "do_fork", Args.of(x -> Kernel.SIGCHLD, x -> x.read(x.get(L.regs) + PtRegs.sp.off(k)), x -> x.get(L.regs), x -> 0, x -> 0, x -> 0))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("sys_clone", SRC).params(L.clone_flags, L.newsp, L.parent_tid, L.child_tid, L.regs)
        .step("if (!newsp) newsp = regs->sp", x -> {
          if (x.get(L.newsp) == 0) {
            x.set(L.newsp, x.read(x.get(L.regs) + PtRegs.sp.off(k)));
          }
        })
        .call("return do_fork(clone_flags, newsp, regs, 0, parent_tid, child_tid)", "do_fork",
            Args.of(x -> x.get(L.clone_flags), x -> x.get(L.newsp), x -> x.get(L.regs), x -> 0,
                x -> x.get(L.parent_tid), x -> x.get(L.child_tid)))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("sys_execve", SRC).params(L.name, L.argv, L.envp, L.regs).locals(L.filename, L.error)
        .step("filename = getname(name)", x -> x.set(L.filename, k.getname(x, x.get(L.name))))
        .callInto(L.error, "error = do_execve(filename, argv, envp, regs)", "do_execve",
            Args.of(x -> x.get(L.filename), x -> x.get(L.argv), x -> x.get(L.envp), x -> x.get(L.regs)))
        .ret("putname(filename); return error", x -> x.get(L.error)).build());
    // start_thread (process_64.c@2.6.32:346-363)
    k.image.add(k.image.c("start_thread", SRC).params(L.regs, L.new_ip, L.new_sp)
        .step("loadsegment(fs/es/ds, 0); load_gs_index(0); regs->ip = new_ip; regs->sp = new_sp; "
            + "percpu_write(old_rsp, new_sp); regs->cs = __USER_CS; regs->ss = __USER_DS; "
            + "regs->flags = 0x200; free_thread_xstate(current)", x -> {
              long r = x.get(L.regs);
              x.write(r + PtRegs.ip.off(k), x.get(L.new_ip));
              x.write(r + PtRegs.sp.off(k), x.get(L.new_sp));
              x.write(X86Entry.gs(k, x, "old_rsp"), x.get(L.new_sp));
              x.write(r + PtRegs.cs.off(k), X86_64.USER_CS);
              x.write(r + PtRegs.ss.off(k), X86_64.USER_DS);
              x.write(r + PtRegs.flags.off(k), X86_64.EFLAGS_IF);
            })
        .retVoid().build());
    kstack.arch.x86.Idle.buildCpuIdleTickNohz(k, SRC, "rmb(); local_irq_disable(); enter_idle();");
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHEDULE_SWITCH_INLINE);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }

  /** asm/elf.h@2.6.32.67:173-189: ax too (later it keeps execve's return value). */
  @Override
  public List<PtRegs> elfPlatInitRegs() {
    return List.of(PtRegs.ax, PtRegs.bx, PtRegs.cx, PtRegs.dx, PtRegs.si, PtRegs.di,
        PtRegs.bp, PtRegs.r8, PtRegs.r9, PtRegs.r10, PtRegs.r11, PtRegs.r12,
        PtRegs.r13, PtRegs.r14, PtRegs.r15);
  }

  /** 2.6.32: copy_thread would take the TLS from r8 (process_64.c@2.6.32.67 copy_thread). */
  @Override
  public String copyThreadTlsMissing() {
    return "copy_thread would set the fs base with do_arch_prctl(p, ARCH_SET_FS, "
        + "childregs->r8), which the model does not";
  }
}
