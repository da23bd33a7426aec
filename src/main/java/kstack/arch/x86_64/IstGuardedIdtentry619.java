package kstack.arch.x86_64;

import java.util.Set;
import kstack.arch.x86.DoDebug;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's IST exceptions (entry_64.S@6.19 asm_exc_*, idtentry.h@6.19 DEFINE_IDTENTRY_DEBUG/_MCE and
 * their _USER forms, cpu_entry_area.h@6.19:12-56): 8 KiB IST stacks each above a guard page
 * (IST_INDEX_DF 0, NMI 1, DB 2, MCE 3), exc_double_fault, exc_nmi, idtentry_mce_db with the
 * noist_ user-mode entries.
 */
public final class IstGuardedIdtentry619 extends IstExceptions {
  enum L implements Local { regs }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public long[] istStack(Kernel k, int cpu, int i) {
    long base = k.image.constant("CPU_ENTRY_AREA_PER_CPU") + cpu * 0x40000L + 0x10000;
    long size = exceptionStackSize();
    long lo = base + (4096 + size) * i + 4096;
    return new long[] {lo, lo + size};
  }

  @Override
  String entryPrefix() {
    return "asm_exc_";
  }

  @Override
  String handlerPrefix() {
    return "exc_";
  }

  @Override
  boolean handlersTakeErrorCode() {
    return false;
  }

  @Override
  boolean clearsAsPushed() {
    return false;
  }

  @Override
  long exceptionStackSize() {
    return 8192;
  }

  @Override
  boolean istGuardPages() {
    return true;
  }

  @Override
  String nmiEntryPrologue() {
    return "ENDBR; ASM_CLAC; cld; ";
  }

  @Override
  String nmiRestoreCr3() {
    return "IBRS_EXIT; PARANOID_RESTORE_CR3; ";
  }

  @Override
  String nmiEnter() {
    return "irqentry_nmi_enter(regs)";
  }

  @Override
  String nmiExit() {
    return "irqentry_nmi_exit(regs, irq_state)";
  }

  @Override
  String doubleFaultEnter() {
    return "irqentry_nmi_enter(regs); cr2 = read_cr2()";
  }

  @Override
  String overflowCall() {
    return "handle_stack_overflow(regs, cr2, &info)";
  }

  @Override
  String guardPageStackKind() {
    return "TASK";
  }

  /** The stack's end (traps.c@6.19 handle_stack_overflow prints info->end). */
  @Override
  long guardHitStackEnd(long stack, long threadSize) {
    return stack + threadSize;
  }

  @Override
  String overflowDie() {
    return "die(\"stack guard page\", regs, 0); panic(\"TASK stack guard hit\")";
  }

  @Override
  String overflowPanic() {
    return "TASK stack guard hit";
  }

  @Override
  String debugKernel() {
    return "exc_debug";
  }

  @Override
  String debugUser() {
    return "noist_exc_debug";
  }

  @Override
  String machineCheckKernel() {
    return "exc_machine_check";
  }

  @Override
  String machineCheckUser() {
    return "noist_exc_machine_check";
  }

  @Override
  boolean shiftsDebugIst() {
    return false;
  }

  @Override
  boolean errorEntryReturnsRegs() {
    return true;
  }

  @Override
  String errorExit() {
    return "error_return";
  }

  /**
   * exc_debug / noist_exc_debug (traps.c@6.19:1214-1376: exc_debug_kernel and exc_debug_user are
   * static noinstr, noinline) and exc_machine_check / noist_exc_machine_check (mce/core.c@6.19).
   */
  @Override
  void buildTrapHandlers(Kernel k) {
    String traps = "arch/x86/kernel/traps.c";
    k.image.add(k.image.c("exc_debug", traps).params(L.regs)
        .call("exc_debug_kernel(regs, debug_read_reset_dr6())", "exc_debug_kernel",
            Args.of(x -> x.get(L.regs), x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("noist_exc_debug", traps).params(L.regs)
        .call("exc_debug_user(regs, debug_read_reset_dr6())", "exc_debug_user",
            Args.of(x -> x.get(L.regs), x -> 0))
        .retVoid().build());
    DoDebug.buildExcDebugLeaves(k);
    String mce = "arch/x86/kernel/cpu/mce/core.c";
    k.image.add(k.image.c("exc_machine_check", mce).params(L.regs)
        .call("exc_machine_check_kernel(regs) [always inline]: irqentry_nmi_enter; "
            + "do_machine_check(regs)",
            "do_machine_check", Args.of(x -> x.get(L.regs)))
        .retVoid().build());
    k.image.add(k.image.c("noist_exc_machine_check", mce).params(L.regs)
        .call("exc_machine_check_user(regs) [always inline]: irqentry_enter_from_user_mode; "
            + "do_machine_check(regs)", "do_machine_check", Args.of(x -> x.get(L.regs)))
        .retVoid().build());
  }

  @Override
  kstack.arch.x86.DoMachineCheck.Source machineCheckSource() {
    return kstack.arch.x86.DoMachineCheck.MCE_CORE_C;
  }
}
