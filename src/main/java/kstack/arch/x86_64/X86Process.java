package kstack.arch.x86_64;

import kstack.arch.x86.Idle;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * arch/x86/kernel/process_64.c and process.c: __switch_to (which makes next current and publishes
 * its stack top), copy_thread forging a child's fork_frame, start_thread for exec, and the idle halt.
 */
public final class X86Process {
  enum L implements Local {
      _cs, _ds, _ss, arg, args, childregs, clone_flags, frame, new_ip, new_sp, next_p, p, prev_p,
      regs, sp, tls
  }

  private X86Process() {}

  static void build(Kernel k) {
    buildSwitchTo(k);
    buildCopyThread(k);
    k.image.add(k.image.c("start_thread", "arch/x86/kernel/process_64.c").params(L.regs, L.new_ip, L.new_sp)
        .call("start_thread_common(regs, new_ip, new_sp, __USER_CS, __USER_DS, 0)",
            "start_thread_common", Args.of(x -> x.get(L.regs), x -> x.get(L.new_ip),
                x -> x.get(L.new_sp), x -> X86_64.USER_CS, x -> X86_64.USER_DS, x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("start_thread_common", "arch/x86/kernel/process_64.c")
        .params(L.regs, L.new_ip, L.new_sp, L._cs, L._ss, L._ds)
        .step("loadsegment(fs/es/ds, _ds); load_gs_index(_ds)", x -> { })
        .step("regs->ip = new_ip; regs->sp = new_sp; regs->cs = _cs; regs->ss = _ss; "
            + "regs->flags = X86_EFLAGS_IF", x -> {
              long r = x.get(L.regs);
              x.write(r + k.image.off("pt_regs", "ip"), x.get(L.new_ip));
              x.write(r + k.image.off("pt_regs", "sp"), x.get(L.new_sp));
              x.write(r + k.image.off("pt_regs", "cs"), x.get(L._cs));
              x.write(r + k.image.off("pt_regs", "ss"), x.get(L._ss));
              x.write(r + k.image.off("pt_regs", "flags"), X86_64.EFLAGS_IF);
              x.write(r + k.image.off("pt_regs", "cx"), x.get(L.new_ip));
              x.write(r + k.image.off("pt_regs", "r11"), X86_64.EFLAGS_IF);
            })
        .retVoid().build());
    Idle.buildArchCpuIdle(k, k.profile.has(Feature.SCHEDULE_LOOP)
        ? Idle.STATIC_CALL_X86_IDLE : Idle.X86_IDLE);
  }

  private static void buildSwitchTo(Kernel k) {
    boolean v6 = k.profile.has(Feature.TOP_OF_STACK_PERCPU);
    k.image.add(k.image.c("__switch_to", "arch/x86/kernel/process_64.c").params(L.prev_p, L.next_p)
        .step("save prev's segments and FS/GS bases; load next's TLS (not modelled)", x -> { })
        .step((v6 ? "raw_cpu_write" : "this_cpu_write") + "(current_task, next_p)",
            x -> x.write(X86Entry.gs(k, x, "current_task"), x.get(L.next_p)))
        .step(v6 ? "raw_cpu_write(cpu_current_top_of_stack, task_top_of_stack(next_p))"
                : "this_cpu_write(cpu_current_top_of_stack, task_top_of_stack(next_p)) "
                    + "(cpu_tss_rw.x86_tss.sp1)",
            x -> x.write(X86Entry.gsMacro(k, x, "cpu_current_top_of_stack"),
                k.arch.taskTopOfStack(k, x.get(L.next_p))))
        .step(v6 ? "update_task_stack(next_p): sp0 stays on the entry stack (only Xen PV reloads it)"
                : "update_sp0(next_p): sp0 stays on the entry trampoline stack (only Xen PV reloads it)",
            x -> { })
        .ret("return prev_p", x -> x.get(L.prev_p)).build());
  }

  /**
   * copy_thread_tls (process_64.c@4.16.13:267-304) / copy_thread (process.c@6.19:170-270): the
   * child's pt_regs at task_pt_regs(p), the inactive_task_frame just below it, thread.sp at the frame.
   */
  /** include/uapi/linux/sched.h: set the TLS (fs base on x86_64, TPIDR_EL0 on arm64). */
  static final long CLONE_SETTLS = 0x00080000;

  private static void buildCopyThread(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    RoutineBuilder b = v6
        ? k.image.c("copy_thread", "arch/x86/kernel/process.c").params(L.p, L.args)
        : k.image.c("copy_thread_tls", "arch/x86/kernel/process_64.c")
            .params(L.clone_flags, L.sp, L.arg, L.p, L.tls);
    int frameSize = k.image.struct("inactive_task_frame").size();
    b.locals(L.childregs, L.frame)
        .step("childregs = task_pt_regs(p); fork_frame = container_of(childregs, struct fork_frame, "
            + "regs); frame = &fork_frame->frame", x -> {
              long regs = k.arch.taskPtRegs(k, x.get(L.p));
              x.set(L.childregs, regs);
              x.set(L.frame, regs - frameSize);
            })
        .step(v6 ? "frame->bp = encode_frame_pointer(childregs) (childregs + 1: bit 0 marks pt_regs); "
                + "frame->ret_addr = ret_from_fork_asm; p->thread.sp = fork_frame"
                : "frame->bp = 0; frame->ret_addr = ret_from_fork; p->thread.sp = fork_frame", x -> {
              long f = x.get(L.frame);
              x.write(f + k.image.off("inactive_task_frame", "bp"), v6 ? x.get(L.childregs) + 1 : 0);
              x.write(f + k.image.off("inactive_task_frame", "ret_addr"),
                  k.image.symbol(v6 ? "ret_from_fork_asm" : "ret_from_fork"));
              k.tasks.taskWrite(x.get(L.p), "thread.sp", f);
            })
        .step("p->thread.fsindex/gsindex/fsbase/gsbase = current's; savesegment(es/ds)", x -> { })
        .branchIf("user", "if (unlikely(p->flags & PF_KTHREAD)) {",
            x -> !k.tasks.isKthread(x.get(L.p)))
        .step("  memset(childregs, 0, sizeof(struct pt_regs)); "
            + (v6 ? "kthread_frame_init(frame, args->fn, args->fn_arg): frame->bx = fn, frame->r12 = arg"
                : "frame->bx = sp (the function); frame->r12 = arg"), x -> kthreadFrame(k, x, v6))
        .ret("  return 0", x -> 0)
        .label("user");
    if (v6) {
      b.branchIf("plain", "if (unlikely(args->fn)) {  /* user_mode_thread, e.g. pid 1 */",
              x -> k.cloneArg(x, x.get(L.args), "fn") == 0)
          .step("  *childregs = *current_pt_regs(); childregs->sp = 0; childregs->ip = 0; "
              + "kthread_frame_init(frame, args->fn, args->fn_arg)", x -> {
                copyRegs(k, x);
                long r = x.get(L.childregs);
                x.write(r + k.image.off("pt_regs", "sp"), 0);
                x.write(r + k.image.off("pt_regs", "ip"), 0);
                long f = x.get(L.frame);
                x.write(f + k.image.off("inactive_task_frame", "bx"), k.cloneArg(x, x.get(L.args), "fn"));
                x.write(f + k.image.off("inactive_task_frame", "r12"), k.cloneArg(x, x.get(L.args), "fn_arg"));
              })
          .ret("  return 0", x -> 0)
          .label("plain");
    }
    b.step("frame->bx = 0; *childregs = *current_pt_regs(); childregs->ax = 0; "
            + "if (sp) childregs->sp = sp", x -> {
              x.write(x.get(L.frame) + k.image.off("inactive_task_frame", "bx"), 0);
              copyRegs(k, x);
              long r = x.get(L.childregs);
              x.write(r + k.image.off("pt_regs", "ax"), 0);
              long sp = v6 ? k.cloneArg(x, x.get(L.args), "stack") : x.get(L.sp);
              if (sp != 0) {
                x.write(r + k.image.off("pt_regs", "sp"), sp);
              }
            })
        .ret(v6 ? "if (clone_flags & CLONE_SETTLS) ret = set_new_tls(p, tls): do_arch_prctl_64(p, "
                + "ARCH_SET_FS, tls): p->thread.fsbase = tls; return ret"
                : "if (clone_flags & CLONE_SETTLS) err = do_arch_prctl_64(p, ARCH_SET_FS, tls): "
                + "p->thread.fsbase = tls; return err", x -> {
              // process.c@6.19:141-148,266-267, process_64.c@6.19:899-923; @4.16.13:320-327,623-630
              long flags = v6 ? k.cloneArg(x, x.get(L.args), "flags") : x.get(L.clone_flags);
              if ((flags & CLONE_SETTLS) != 0) {
                k.tasks.taskWrite(x.get(L.p), "thread.fsbase",
                    v6 ? k.cloneArg(x, x.get(L.args), "tls") : x.get(L.tls));
              }
              return 0;
            });
    k.image.add(b.build());
  }

  private static void copyRegs(Kernel k, Exec x) {
    long cur = k.current(x);
    k.mem.copy(x.get(L.childregs), k.arch.taskPtRegs(k, cur), k.image.struct("pt_regs").size());
  }

  private static void kthreadFrame(Kernel k, Exec x, boolean v6) {
    k.mem.zero(x.get(L.childregs), k.image.struct("pt_regs").size());
    long f = x.get(L.frame);
    x.write(f + k.image.off("inactive_task_frame", "bx"), v6 ? k.cloneArg(x, x.get(L.args), "fn") : x.get(L.sp));
    x.write(f + k.image.off("inactive_task_frame", "r12"), v6 ? k.cloneArg(x, x.get(L.args), "fn_arg") : x.get(L.arg));
  }
}
