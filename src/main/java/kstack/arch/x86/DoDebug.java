package kstack.arch.x86;

import static kstack.arch.x86.TrapNotes.note;

import kstack.exec.Local;
import kstack.kernel.Kernel;
import kstack.trace.Event.TrapOutcome;

/**
 * The C side of #DB (arch/x86/kernel/traps.c), shared by x86_64 and i386. Signals are not delivered
 * in this model; the note records what would be sent.
 */
public final class DoDebug {
  enum L implements Local { dr6, error_code, regs }

  private DoDebug() {}

  private static final String TRAPS = "arch/x86/kernel/traps.c";

  /**
   * exc_debug_kernel and exc_debug_user (traps.c@6.19:1214-1362). DR6 reads 0: from kernel mode
   * nothing claims the trap; from user mode the kernel takes it for an icebp (int1) and sends SIGTRAP
   * (icebp = !dr6, :1336-1356).
   */
  public static void buildExcDebugLeaves(Kernel k) {
    k.image.add(k.image.c("exc_debug_kernel", TRAPS).params(L.regs, L.dr6)
        .step("local_db_save(); irqentry_nmi_enter(regs); notify_debug(regs, &dr6); "
            + "irqentry_nmi_exit(); local_db_restore()", x -> note(k, x,
                TrapOutcome.DB_UNCLAIMED, ""))
        .retVoid().build());
    k.image.add(k.image.c("exc_debug_user", TRAPS).params(L.regs, L.dr6)
        .step("irqentry_enter_from_user_mode(regs); icebp = !dr6; notify_debug(regs, &dr6); "
            + "local_irq_enable(); send_sigtrap(regs, 0, get_si_code(dr6)); local_irq_disable(); "
            + "irqentry_exit_to_user_mode(regs)", x -> note(k, x,
                TrapOutcome.DB_USER_ICEBP, ""))
        .retVoid().build());
  }

  /**
   * do_debug with user_icebp (traps.c@4.16.13:688-780): DR6 = 0 from kernel mode is claimed by
   * nobody; from user mode it counts as an icebp and SIGTRAP is sent.
   */
  public static void buildDoDebugUserIcebp(Kernel k) {
    k.image.add(k.image.c("do_debug", TRAPS).params(L.regs, L.error_code)
        .step("ist_enter(regs); get_debugreg(dr6, 6); dr6 &= ~DR6_RESERVED; if (!dr6 && "
            + "user_mode(regs)) user_icebp = 1; notify_die(DIE_DEBUG); cond_local_irq_enable(); "
            + "if (user_icebp) send_sigtrap(tsk, regs, error_code, si_code); ist_exit(regs)",
            x -> note(k, x, k.arch.userModeRegs(k, x.get(L.regs)) ? TrapOutcome.DB_USER_ICEBP
                : TrapOutcome.DB_UNCLAIMED, ""))
        .retVoid().build());
  }

  /**
   * do_debug with preempt_conditional_sti (arch/x86/kernel/traps.c@2.6.32.67): with no DR_STEP and
   * no DR_TRAPn condition it still sends SIGTRAP to the current task, whatever the mode.
   */
  public static void buildDoDebugSigtrapAlways(Kernel k) {
    k.image.add(k.image.c("do_debug", TRAPS).params(L.regs, L.error_code)
        .step("get_debugreg(condition, 6); notify_die(DIE_DEBUG); preempt_conditional_sti(regs); "
            + "no DR_STEP, no DR_TRAPn: si_code = get_si_code(condition); "
            + "send_sigtrap(tsk, regs, error_code, si_code); set_debugreg(0, 7); "
            + "preempt_conditional_cli(regs)", x -> note(k, x,
                TrapOutcome.DB_SIGTRAP_ANY_MODE, "2.6.32"))
        .retVoid().build());
  }
}
