package kstack.arch.x86;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.Kernel;

/**
 * arch/x86/entry/common.c (4.16.13): the C exit work both the 64-bit and the 32-bit entries run on
 * the way back to user mode.
 */
public final class EntryCommon {
  enum L implements Local { cached_flags, regs }

  private EntryCommon() {}

  private static final String SRC = "arch/x86/entry/common.c";

  /** prepare_exit_to_usermode (arch/x86/entry/common.c@4.16.13), from the interrupt return path. */
  public static void buildPrepareExitToUsermode(Kernel k) {
    k.image.add(k.image.c("prepare_exit_to_usermode", SRC).params(L.regs)
        .branchIf("nowork", "cached_flags = current_thread_info()->flags; EXIT_TO_USERMODE_LOOP_FLAGS?",
            x -> !k.rq.needResched(k.current(x)))
        .call("exit_to_usermode_loop(regs, cached_flags)", "exit_to_usermode_loop",
            Args.of(x -> x.get(L.regs), x -> 0))
        .label("nowork")
        .retVoid().build());
  }

  /**
   * syscall_return_slowpath and exit_to_usermode_loop (arch/x86/entry/common.c@4.16.13:138-196,
   * 246-265), shared by the 64-bit and 32-bit entries.
   */
  public static void buildSyscallReturnSlowpath(Kernel k) {
    k.image.add(kstack.arch.ExitWork.append(k, k.image.c("syscall_return_slowpath", SRC).params(L.regs),
            "local_irq_disable(); prepare_exit_to_usermode(regs) [inline]: "
            + "EXIT_TO_USERMODE_LOOP_FLAGS set?", "exit_to_usermode_loop",
            "exit_to_usermode_loop(regs, cached_flags)")
        .retVoid().build());
    k.image.add(k.image.c("exit_to_usermode_loop", SRC).params(L.regs, L.cached_flags)
        .label("loop")
        .branchIf("out", "while (cached_flags & EXIT_TO_USERMODE_LOOP_FLAGS) {",
            x -> !k.rq.needResched(k.current(x)))
        .call("  _TIF_NEED_RESCHED: schedule()", "schedule", Args.inPlace())
        .jump("loop", "}")
        .label("out")
        .retVoid().build());
  }
}
