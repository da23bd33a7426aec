package kstack.arch.x86;

import kstack.exec.Local;
import kstack.kernel.Kernel;

/** do_machine_check, shared by x86_64 and i386: no MCA bank holds a valid error, nothing to recover. */
public final class DoMachineCheck {
  enum L implements Local { error_code, regs }

  private DoMachineCheck() {}

  /** Where do_machine_check lives, and the prototype it has there. */
  public enum Source {
    /**
     * arch/x86/kernel/cpu/mcheck/mce.c, up to 4.x: do_machine_check(struct pt_regs *regs, long
     * error_code) (mce.c@2.6.32.67:896, @4.16.13:1127).
     */
    MCHECK_MCE_C("arch/x86/kernel/cpu/mcheck/mce.c", L.regs, L.error_code),
    /**
     * arch/x86/kernel/cpu/mce/core.c since mcheck/ was renamed mce/; with the IDTENTRY conversion
     * it lost error_code: do_machine_check(struct pt_regs *regs) (mce/core.c@6.19:1554).
     */
    MCE_CORE_C("arch/x86/kernel/cpu/mce/core.c", L.regs);

    private final String path;
    private final Local[] params;

    Source(String path, Local... params) {
      this.path = path;
      this.params = params;
    }
  }

  /** Where do_machine_check lives up to 4.x, with (regs, error_code). */
  public static final Source MCHECK_MCE_C = Source.MCHECK_MCE_C;
  /** Where it lives since mcheck/ was renamed mce/ (6.19), with (regs). */
  public static final Source MCE_CORE_C = Source.MCE_CORE_C;

  /** do_machine_check as src declares it. */
  public static void build(Kernel k, Source src) {
    k.image.add(k.image.c("do_machine_check", src.path).params(src.params.clone())
        .step("mce_gather_info(); scan the banks; no severity to act on: goto out", x -> TrapNotes.note(k,
            x, kstack.trace.Event.TrapOutcome.MC_NOTHING_TO_RECOVER, ""))
        .retVoid().build());
  }
}
