package kstack.arch.i386;

import java.util.List;
import java.util.Map;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How an i386 generation enters the kernel for a system call: entry.S / entry_32.S (int $0x80, the
 * SYSENTER path and the vDSO), the pt_regs it builds, the selectors it loads, the system call table
 * and how table functions are named and take their arguments. The profile table picks one per
 * profile; the defaults are those of the generations with entry_INT80_32 (4.16 on).
 */
public interface I386EntryModel extends Module {
  /** The entry code: system_call or entry_INT80_32, ret_from_fork, __switch_to_asm where it exists. */
  void buildEntry(Kernel k);

  /** The system call numbers this generation's table has. */
  Map<String, Integer> syscallNumbers();

  /** The symbol of a table function. */
  String syscallSymbol(String name, int nargs);

  /** A table function, named by {@link #syscallSymbol}. */
  RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params);

  /** The IDT entry of int $0x80. */
  default String int80Entry() {
    return "entry_INT80_32";
  }

  /** Whether int $0x80's gate is a trap gate (2.4's set_system_gate), leaving IF set. */
  default boolean int80TrapGate() {
    return false;
  }

  /**
   * How many leading arguments ordinary kernel C functions take in registers: 3 with -mregparm=3
   * (arch/x86/Makefile@4.16.13:73, 2.6.20 on); 0 on 2.4.22 (research §0.1).
   */
  default int regparm() {
    return 3;
  }

  /** The flat-model selectors __KERNEL_CS, __KERNEL_DS, __USER_CS, __USER_DS (research §0.2). */
  default long[] selectors() {
    return new long[] {I386.KERNEL_CS, I386.KERNEL_DS, I386.USER_CS, I386.USER_DS};
  }

  /** sizeof(struct pt_regs): 68 with the 2.6.20+ fs/gs slots, 60 before. */
  default long ptRegsSize() {
    return 68;
  }

  /**
   * ELF_PLAT_INIT's registers (asm/elf.h@2.6.32.67:103-108, @4.16.13:109-114, @6.19:105-110; the
   * same seven as ebx..eax in asm-i386/elf.h@2.4.22:44-48 and @2.6.11:59-62).
   */
  default List<PtRegs> elfPlatInitRegs() {
    return List.of(PtRegs.bx, PtRegs.cx, PtRegs.dx, PtRegs.si, PtRegs.di, PtRegs.bp, PtRegs.ax);
  }

  /**
   * The bytes an entry stub pushes between its call and the pt_regs (2.4's error_code and nmi pass
   * the pt_regs pointer and error code on the stack, entry.S@2.4.22:274-303, 332-340); 0 elsewhere.
   */
  default long handlerArgBytes(String entrySymbol) {
    return 0;
  }

  /** Where the entry stack's page sits in a CPU's cpu_entry_area (none: 0). */
  default long entryStackPageOffset() {
    return 0;
  }

  /** SIZEOF_entry_stack, or 0 where TSS.sp0 is the task stack's top (no entry stack). */
  default long entryStackSize() {
    return 0;
  }

  /**
   * Whether a kernel thread's execve may leave for user mode from pt_regs inside its stack (the
   * generations with the arch's kernel_thread, before kernel_thread moved to kernel/fork.c).
   */
  default boolean execveRegsMayBeLeft() {
    return false;
  }

  /** Whether init() reaches user mode through an execve stub's int $0x80 (2.4, 2.6.11). */
  default boolean initExecveStub() {
    return false;
  }
}
