package kstack.arch.x86_64;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's switch: __switch_to_asm into __switch_to, the stack top in the per-CPU
 * cpu_current_top_of_stack; copy_thread(p, args) with an encoded frame pointer and ret_addr =
 * ret_from_fork_asm (process.c@6.19:170-270; entry_64.S@6.19:229-259).
 */
public final class SwitchToAsmForkAsm619 extends SwitchToAsm {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TOP_OF_STACK_PERCPU, Feature.RET_FROM_FORK_ASM_AND_C,
        Feature.FORK_FRAME_ENCODED_BP);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }

  @Override
  String canaryWord() {
    return "__stack_chk_guard";
  }

  @Override
  String canarySymbol() {
    return "__stack_chk_guard";
  }

  @Override
  long canaryOffset() {
    return 0;
  }

  /** ret_from_fork_asm and the C ret_from_fork (entry_64.S@6.19:229-259, process.c@6.19:151-168). */
  @Override
  void buildRetFromFork(Kernel k) {
    k.image.add(k.image.asm("ret_from_fork_asm", X86Entry.ENTRY)
        .step("UNWIND_HINT_END_OF_STACK; movq %rax, %rdi (prev); movq %rsp, %rsi (regs); "
            + "movq %rbx, %rdx (fn); movq %r12, %rcx (fn_arg)", x -> {
              x.set(Regs.rdi, x.reg(Regs.rax));
              x.set(Regs.rsi, x.sp());
              x.set(Regs.rdx, x.reg(Regs.rbx));
              x.set(Regs.rcx, x.reg(Regs.r12));
            })
        .call("call ret_from_fork", "ret_from_fork",
            Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi), x -> x.reg(Regs.rdx), x -> x.reg(Regs.rcx)))
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            k.image.jump("swapgs_restore_regs_and_return_to_usermode"))
        .build());
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

  @Override
  String cpuWrite() {
    return "raw_cpu_write";
  }

  @Override
  String topOfStackNote() {
    return "";
  }

  @Override
  String sp0Step() {
    return "update_task_stack(next_p): sp0 stays on the entry stack (only Xen PV reloads it)";
  }

  @Override
  RoutineBuilder copyThreadHead(Kernel k) {
    return k.image.c("copy_thread", "arch/x86/kernel/process.c").params(L.p, L.args);
  }

  @Override
  String forkFrameStep() {
    return "frame->bp = encode_frame_pointer(childregs) (childregs + 1: bit 0 marks pt_regs); "
        + "frame->ret_addr = ret_from_fork_asm; p->thread.sp = fork_frame";
  }

  @Override
  long forkFrameBp(long childregs) {
    return childregs + 1;
  }

  @Override
  String retFromFork() {
    return "ret_from_fork_asm";
  }

  @Override
  String kthreadFrameStep() {
    return "kthread_frame_init(frame, args->fn, args->fn_arg): frame->bx = fn, frame->r12 = arg";
  }

  @Override
  long kthreadFn(Kernel k, Exec x) {
    return k.cloneArg(x, x.get(L.args), "fn");
  }

  @Override
  long kthreadArg(Kernel k, Exec x) {
    return k.cloneArg(x, x.get(L.args), "fn_arg");
  }

  /** user_mode_thread (init/main.c@6.19:711-757): pid 1 starts as a kernel function. */
  @Override
  void userModeThread(Kernel k, RoutineBuilder b) {
    b.branchIf("plain", "if (unlikely(args->fn)) {  /* user_mode_thread, e.g. pid 1 */",
            x -> k.cloneArg(x, x.get(L.args), "fn") == 0)
        .step("  *childregs = *current_pt_regs(); childregs->sp = 0; childregs->ip = 0; "
            + "kthread_frame_init(frame, args->fn, args->fn_arg)", x -> {
              copyRegs(k, x);
              long r = x.get(L.childregs);
              x.write(r + PtRegs.sp.off(k), 0);
              x.write(r + PtRegs.ip.off(k), 0);
              long f = x.get(L.frame);
              x.write(f + InactiveTaskFrame.bx.off(k), kthreadFn(k, x));
              x.write(f + InactiveTaskFrame.r12.off(k), kthreadArg(k, x));
            })
        .ret("  return 0", x -> 0)
        .label("plain");
  }

  @Override
  long childSp(Kernel k, Exec x) {
    return k.cloneArg(x, x.get(L.args), "stack");
  }

  @Override
  long cloneFlags(Kernel k, Exec x) {
    return k.cloneArg(x, x.get(L.args), "flags");
  }

  @Override
  long tls(Kernel k, Exec x) {
    return k.cloneArg(x, x.get(L.args), "tls");
  }

  @Override
  String settlsStep() {
    return "if (clone_flags & CLONE_SETTLS) ret = set_new_tls(p, tls): do_arch_prctl_64(p, "
        + "ARCH_SET_FS, tls): p->thread.fsbase = tls; return ret";
  }

  @Override
  String idleCall() {
    return kstack.arch.x86.Idle.STATIC_CALL_X86_IDLE;
  }
}
