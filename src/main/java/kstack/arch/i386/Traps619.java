package kstack.arch.i386;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 6.19's #DB and #MC: asm_exc_debug and asm_exc_machine_check, the idtentry stubs (I386Traps). */
public final class Traps619 implements I386TrapsModel {
  enum L implements Local { regs, user }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  /** idtentry stubs into handle_exception, and the 32-bit C entries. */
  @Override
  public void buildTraps(Kernel k) {
    k.image.add(I386Irq619.idtentry(k, "exc_debug", false));
    k.image.add(I386Irq619.idtentry(k, "exc_machine_check", false));
    String traps = "arch/x86/kernel/traps.c";
    k.image.add(k.image.c("exc_debug", traps).params(L.regs).locals(L.user)
        .step("dr6 = debug_read_reset_dr6() (0 here); user_mode(regs)?", x -> x.set(L.user,
            k.arch.userModeRegs(k, x.get(L.regs)) ? 1 : 0))
        .branchIf("user", "if (user_mode(regs))", x -> x.get(L.user) != 0)
        .call("exc_debug_kernel(regs, dr6)", "exc_debug_kernel", Args.of(x -> x.get(L.regs), x -> 0))
        .ret("return", x -> 0)
        .label("user")
        .call("exc_debug_user(regs, dr6)", "exc_debug_user", Args.of(x -> x.get(L.regs), x -> 0))
        .retVoid().build());
    kstack.arch.x86.DoDebug.buildExcDebugLeaves(k);
    k.image.add(k.image.c("exc_machine_check", "arch/x86/kernel/cpu/mce/core.c").params(L.regs)
        .call("dr7 = local_db_save(); user_mode(regs) ? exc_machine_check_user(regs) : "
            + "exc_machine_check_kernel(regs) [both always inline] -> do_machine_check(regs)",
            "do_machine_check", Args.of(x -> x.get(L.regs)))
        .step("local_db_restore(dr7)", x -> { })
        .retVoid().build());
    kstack.arch.x86.DoMachineCheck.build(k, kstack.arch.x86.DoMachineCheck.MCE_CORE_C);
  }

  @Override
  public String handlerName(int vector) {
    return switch (vector) {
      case I386Traps.DB_VECTOR -> "asm_exc_debug";
      case I386Traps.MC_VECTOR -> "asm_exc_machine_check";
      default -> null;
    };
  }

  /** doublefault_shim calls exc_double_fault, which dies (doublefault_32.c@6.19). */
  @Override
  public kstack.kernel.ArchInterrupts.DoubleFault userDoubleFault() {
    return new kstack.kernel.ArchInterrupts.DoubleFault(
        kstack.trace.Event.DoubleFaultEnd.DOUBLEFAULT_SHIM,
        "Kernel panic - not syncing: Machine halted.");
  }
}
