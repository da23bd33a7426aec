package kstack.arch.i386;

import kstack.exec.Exec;
import kstack.kernel.Kernel;

/**
 * The by-value pt_regs system call convention of i386 before the ptregs_ stubs (2.4.22 and 2.6.11):
 * sys_fork, sys_clone and sys_execve are asmlinkage and declare {@code struct pt_regs regs} as their
 * parameter, so the frame system_call saved is their argument area (process.c@2.4.22:743-793,
 * @2.6.11:629-690).
 */
final class PtRegsByValue {
  private PtRegsByValue() {}

  /** The pt_regs a by-value parameter names: the syscall's first stack word, 8(%ebp). */
  static long byValueRegs(Exec x) {
    return x.fp() + 8;
  }

  /** regs.field, read from that frame. */
  static long byValueReg(Kernel k, Exec x, String field) {
    return x.read(byValueRegs(x) + k.image.off("pt_regs", field));
  }
}
