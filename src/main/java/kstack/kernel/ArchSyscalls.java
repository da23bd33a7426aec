package kstack.kernel;

import java.util.Map;
import kstack.exec.Exec;
import kstack.profile.Profile;

/**
 * How user space enters the kernel by a system call on this arch: the table, the entry
 * symbols and routines, the registers of the ABI, and the user-side instructions. Part of the arch
 * port, {@link Arch}.
 */
public interface ArchSyscalls {
  /** System call numbers by name (the arch's syscall table). */
  Map<String, Integer> syscallNumbers();

  /** The symbol a system call's entry has in this profile (SyS_read, sys_getpid, __x64_sys_read). */
  String syscallSymbol(Profile p, String name, int nargs);

  /**
   * A routine for a system call's entry, named as the profile names it, whose body can read the
   * call's arguments through the handles params (the caller's own {@code Local} enum).
   */
  kstack.exec.RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params);

  /** The order of clone's register arguments (CLONE_BACKWARDS swaps tls and child_tidptr). */
  String[] cloneParams();

  /**
   * Why clone's CLONE_SETTLS is refused (what copy_thread would do with the TLS argument that the
   * model does not), or null where the model sets the TLS.
   */
  default String copyThreadTlsMissing() {
    return null;
  }

  /**
   * Why there is no fast system-call entry through the vDSO, said by {@code sysenter} where
   * {@link #vdsoSyscallEntry()} is null.
   */
  String noFastSyscallEntry();

  /** The register that names the loaded user address space (x86 CR3, arm64 TTBR0_EL1). */
  String mmRegister();

  /** Makes the CPU call a user function that returns to ret (push it, or set the link register). */
  void setUserReturn(Kernel k, kstack.cpu.Cpu cpu, kstack.mem.AddressSpace space, long ret);

  /** The user-mode instructions of a libc system-call wrapper (nr into the arch register, trap). */
  void userSyscall(Exec x, int nr);

  /**
   * The user function of the vDSO that enters the kernel by the CPU's fast system-call
   * instruction (i386: __kernel_vsyscall, through SYSENTER), or null where the model has none.
   */
  default String vdsoSyscallEntry() {
    return null;
  }

  /**
   * arch_setup_additional_pages() during exec: map the vDSO. Per-task effects (i386 2.6.32:
   * thread_info->sysenter_return) happen here; the vDSO's code is part of the user image.
   */
  default void setupAdditionalPages(Kernel k, Exec x) {}

  /**
   * The pt_regs members ELF_PLAT_INIT clears before start_thread (asm/elf.h): the new program
   * starts with no register values left from the old one.
   */
  default java.util.List<kstack.layout.Member> elfPlatInitRegs(Kernel k) {
    return java.util.List.of();
  }

  /** The system-call instruction alone (SYSCALL on x86_64): the registers are already set. */
  void syscallInstruction(Exec x);

  /** Puts a system call's number and arguments where the arch's syscall ABI wants them. */
  void setSyscallRegisters(kstack.cpu.Cpu cpu, int nr, long[] args);
}
