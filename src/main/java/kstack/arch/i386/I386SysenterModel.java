package kstack.arch.i386;

import kstack.exec.Exec;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How an i386 generation takes SYSENTER and leaves by SYSEXIT (I386Sysenter holds what they
 * share): its entry routine, where the vDSO's landing pad is, how enable_sep_cpu points the MSRs.
 * The profile table picks one per profile; 2.4.22 has none (SysenterNone24).
 */
public interface I386SysenterModel extends Module {
  /** The SYSENTER entry routine and what it calls (sysenter_entry ... entry_SYSENTER_32). */
  void buildSysenterEntry(Kernel k);

  /** The 2.6 generations build their SYSENTER path after boot; later ones with the entry code. */
  default void buildAfterBoot(Kernel k) {}

  /** The vDSO's system call entry (null: no vDSO, no SYSENTER). */
  default String vdsoSyscallEntry() {
    return I386Sysenter.VSYSCALL;
  }

  /** The SYSENTER entry's symbol, IA32_SYSENTER_EIP. */
  String entrySymbol();

  /** Where SYSEXIT, or an IRET after a SYSENTER, lands in the vDSO. */
  String landingPad();

  /** Where __kernel_vsyscall comes from. */
  String vdsoSource();

  /** __kernel_vsyscall's movl %esp, %ebp as written there. */
  default String vdsoSaveEsp() {
    return "ALTERNATIVE(X86_FEATURE_SEP): movl %esp, %ebp: the user stack, for the kernel";
  }

  /**
   * What the int $0x80 after sysenter says about the restart point; null where the restart point
   * re-enters through sysenter instead (2.6.11's vsyscall page).
   */
  default String vdsoInt80Note() {
    return "regs->ip - 2 from the landing pad)";
  }

  /** enable_sep_cpu's file. */
  String enableSepSource();

  /** enable_sep_cpu's MSR and TSS step, as written there. */
  String enableSepText();

  /** What enable_sep_cpu does after the last wrmsr. */
  default String enableSepEnd() {
    return "";
  }

  /** Whether SYSENTER_ESP is tss.sp1, just past the per-CPU TSS (2.6), not the entry stack's top. */
  default boolean sysenterEspPastTss() {
    return false;
  }

  /** arch_setup_additional_pages' side the model keeps (2.6.32's sysenter_return). */
  default void setupAdditionalPages(Kernel k, Exec x) {}

  /** Why the {@code sysenter} command has nothing to enter by on this generation, or null. */
  default String noFastSyscallEntry() {
    return null;
  }
}
