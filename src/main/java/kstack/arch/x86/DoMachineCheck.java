package kstack.arch.x86;

import kstack.exec.Local;
import kstack.kernel.Kernel;

/** do_machine_check, shared by x86_64 and i386: no MCA bank holds a valid error, nothing to recover. */
public final class DoMachineCheck {
  enum L implements Local { regs }

  private DoMachineCheck() {}

  /** Where do_machine_check lives up to 4.x. */
  public static final String MCHECK_MCE_C = "arch/x86/kernel/cpu/mcheck/mce.c";
  /** Where it lives since mcheck/ was renamed mce/ (6.19). */
  public static final String MCE_CORE_C = "arch/x86/kernel/cpu/mce/core.c";

  /** do_machine_check in src (one of the two files above). */
  public static void build(Kernel k, String src) {
    k.image.add(k.image.c("do_machine_check", src).params(L.regs)
        .step("mce_gather_info(); scan the banks; no severity to act on: goto out", x -> TrapNotes.note(k,
            x, kstack.trace.Event.TrapOutcome.MC_NOTHING_TO_RECOVER, ""))
        .retVoid().build());
  }
}
