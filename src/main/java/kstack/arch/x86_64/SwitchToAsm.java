package kstack.arch.x86_64;

import java.util.List;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * The switch through __switch_to_asm (entry_64.S) and __switch_to (process_64.c): prev's
 * callee-saved registers as an inactive_task_frame at thread.sp, a new task's fork_frame from
 * copy_thread. What the generations with it share; each module names its own pieces.
 */
public abstract class SwitchToAsm implements SwitchFrame64 {
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
    RoutineBuilder b = k.asm("__switch_to_asm", X86Entry.ENTRY);
    for (String r : new String[] {"rbp", "rbx", "r12", "r13", "r14", "r15"}) {
      b.step("pushq %" + r + " (inactive_task_frame)", x -> x.push(x.reg(r)));
    }
    b.step("movq %rsp, TASK_threadsp(%rdi): prev->thread.sp",
            x -> k.taskWrite(x.reg("rdi"), "thread.sp", x.sp()))
        .step("movq TASK_threadsp(%rsi), %rsp: the stack of next", x -> x.setSp(k.threadSp(x.reg("rsi"))))
        .step("movq TASK_stack_canary(%rsi), %rbx; movq %rbx, PER_CPU_VAR(" + canaryWord() + ")",
            x -> {
              long canary = k.taskRead(x.reg("rsi"), "stack_canary");
              x.set("rbx", canary);
              x.write(X86Entry.gs(k, x, canarySymbol()) + canaryOffset(), canary);
            });
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbx", "rbp"}) {
      b.step("popq %" + r, x -> x.set(r, x.pop()));
    }
    k.add(b.step("jmp __switch_to", x -> x.jumpTo(k.symbol("__switch_to"))).build());
  }

  @Override
  public void build(Kernel k) {
    X86Process.build(k);
  }

  /** schedule() calls context_switch → switch_to, the macro: nothing is inlined. */
  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    throw new IllegalStateException("switch_to is __switch_to_asm here, not inline in schedule()");
  }

  /** asm/elf.h@4.16.13:172-186, @6.19:153-167: ax keeps execve's return value. */
  @Override
  public List<String> elfPlatInitRegs() {
    return List.of("bx", "cx", "dx", "si", "di", "bp", "r8", "r9", "r10", "r11", "r12", "r13",
        "r14", "r15");
  }
}
