package kstack.arch.x86_64;

import java.util.Set;
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
    k.add(k.asm("ret_from_fork_asm", X86Entry.ENTRY)
        .step("UNWIND_HINT_END_OF_STACK; movq %rax, %rdi (prev); movq %rsp, %rsi (regs); "
            + "movq %rbx, %rdx (fn); movq %r12, %rcx (fn_arg)", x -> {
              x.set("rdi", x.reg("rax"));
              x.set("rsi", x.sp());
              x.set("rdx", x.reg("rbx"));
              x.set("rcx", x.reg("r12"));
            })
        .call("call ret_from_fork", "ret_from_fork",
            x -> new long[] {x.reg("rdi"), x.reg("rsi"), x.reg("rdx"), x.reg("rcx")})
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            x -> x.jumpTo(k.symbol("swapgs_restore_regs_and_return_to_usermode")))
        .build());
    k.add(k.c("ret_from_fork", "arch/x86/kernel/process.c").params("prev", "regs", "fn", "fn_arg")
        .call("schedule_tail(prev)", "schedule_tail", x -> new long[] {x.local("prev")})
        .branchIf("user", "if (unlikely(fn)) {", x -> x.local("fn") == 0)
        .callVia("  fn(fn_arg): a kernel thread's function (returns only after a successful exec)",
            x -> x.local("fn"), x -> new long[] {x.local("fn_arg")}, null)
        .step("  regs->ax = 0", x -> x.write(x.local("regs") + k.off("pt_regs", "ax"), 0))
        .label("user")
        .step("syscall_exit_to_user_mode(regs) [inline]", x -> { })
        .retVoid().build());
  }
}
