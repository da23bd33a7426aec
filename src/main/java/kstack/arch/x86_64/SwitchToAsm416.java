package kstack.arch.x86_64;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's switch: __switch_to_asm into __switch_to, which publishes the stack top in
 * cpu_tss_rw.x86_tss.sp1; copy_thread_tls (x86 selects HAVE_COPY_THREAD_TLS) with frame->bp = 0
 * and ret_addr = ret_from_fork (process_64.c@4.16.13:267-304).
 */
public final class SwitchToAsm416 extends SwitchToAsm {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TOP_OF_STACK_IN_TSS_SP1);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread_tls";
  }

  @Override
  String canaryWord() {
    return "irq_stack_union + stack_canary_offset";
  }

  @Override
  String canarySymbol() {
    return "irq_stack_union";
  }

  @Override
  long canaryOffset() {
    return 40;
  }

  /** ret_from_fork (entry_64.S@4.16.13): schedule_tail, then a kthread's fn or the exit to user. */
  @Override
  void buildRetFromFork(Kernel k) {
    k.image.add(k.image.asm("ret_from_fork", X86Entry.ENTRY)
        .step("movq %rax, %rdi: prev", x -> x.set(Regs.rdi, x.reg(Regs.rax)))
        .call("call schedule_tail", "schedule_tail", Args.of(x -> x.reg(Regs.rdi)))
        .branchIf("kthread", "testq %rbx, %rbx: from kernel_thread?", x -> x.reg(Regs.rbx) != 0)
        .label("user")
        .step("movq %rsp, %rdi: regs", x -> x.set(Regs.rdi, x.sp()))
        .call("call syscall_return_slowpath", "syscall_return_slowpath", Args.of(x -> x.reg(Regs.rdi)))
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            k.image.jump("swapgs_restore_regs_and_return_to_usermode"))
        .label("kthread")
        .step("movq %r12, %rdi: the argument", x -> x.set(Regs.rdi, x.reg(Regs.r12)))
        .callVia("CALL_NOSPEC %rbx: fn(arg)", x -> x.reg(Regs.rbx), Args.of(x -> x.reg(Regs.rdi)), null)
        .step("movq $0, RAX(%rsp): a kernel thread that returns (after exec) returns 0 to user mode",
            x -> x.write(x.sp() + PtRegs.ax.off(k), 0))
        .jump("user", "jmp 2b").build());
  }

  @Override
  String cpuWrite() {
    return "this_cpu_write";
  }

  @Override
  String topOfStackNote() {
    return " (cpu_tss_rw.x86_tss.sp1)";
  }

  @Override
  String sp0Step() {
    return "update_sp0(next_p): sp0 stays on the entry trampoline stack (only Xen PV reloads it)";
  }

  @Override
  RoutineBuilder copyThreadHead(Kernel k) {
    return k.image.c("copy_thread_tls", "arch/x86/kernel/process_64.c")
        .params(L.clone_flags, L.sp, L.arg, L.p, L.tls);
  }

  @Override
  String forkFrameStep() {
    return "frame->bp = 0; frame->ret_addr = ret_from_fork; p->thread.sp = fork_frame";
  }

  @Override
  long forkFrameBp(long childregs) {
    return 0;
  }

  @Override
  String retFromFork() {
    return "ret_from_fork";
  }

  @Override
  String kthreadFrameStep() {
    return "frame->bx = sp (the function); frame->r12 = arg";
  }

  @Override
  long kthreadFn(Kernel k, Exec x) {
    return x.get(L.sp);
  }

  @Override
  long kthreadArg(Kernel k, Exec x) {
    return x.get(L.arg);
  }

  @Override
  long childSp(Kernel k, Exec x) {
    return x.get(L.sp);
  }

  @Override
  long cloneFlags(Kernel k, Exec x) {
    return x.get(L.clone_flags);
  }

  @Override
  long tls(Kernel k, Exec x) {
    return x.get(L.tls);
  }

  @Override
  String settlsStep() {
    return "if (clone_flags & CLONE_SETTLS) err = do_arch_prctl_64(p, ARCH_SET_FS, tls): "
        + "p->thread.fsbase = tls; return err";
  }

  @Override
  String idleCall() {
    return kstack.arch.x86.Idle.X86_IDLE;
  }
}
