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
