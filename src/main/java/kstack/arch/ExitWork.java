package kstack.arch;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * The exit work every arch inlines on its way back to user mode (kernel/entry/common.c's
 * syscall_exit_to_user_mode, arm64's arm64_exit_to_user_mode, 4.16's prepare_exit_to_usermode):
 * interrupts off, and if the task must reschedule, the loop that calls schedule().
 */
public final class ExitWork {
  enum L implements Local { regs }

  private ExitWork() {}

  /** Appends "irqs off; work pending? call loop(regs, flags)" with the arch's own wording. */
  public static RoutineBuilder append(Kernel k, RoutineBuilder b, String check, String loop,
      String loopText) {
    return b.branchIf("nowork", check, x -> {
          k.arch.irqDisable(x);
          return !k.rq.needResched(k.current(x));
        })
        .call(loopText, loop, Args.of(x -> x.get(L.regs), x -> 0))
        .label("nowork");
  }
}
