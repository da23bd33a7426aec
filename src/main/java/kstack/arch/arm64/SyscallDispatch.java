package kstack.arch.arm64;

import java.util.Map;
import kstack.arch.SyscallWrappers;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How one generation dispatches an SVC from el0_svc to the handler in sys_call_table, the names
 * those handlers link under (SyS_/sys_ or the __arm64_sys_ pt_regs wrappers), and the numbers the
 * generation's table adds to the generic ones (Arm64Unistd).
 */
interface SyscallDispatch extends Module {
  /** Whether handlers are pt_regs wrappers __arm64_sys_NAME(regs) (asm/syscall_wrapper.h). */
  boolean ptregsWrappers();

  /** el0_svc and what it calls, up to the handler and back to ret_to_user. */
  void build(Kernel k, Arm64Entry e);

  /** The handler of an empty table slot. */
  default String niSyscall() {
    return ptregsWrappers() ? "__arm64_sys_ni_syscall" : "sys_ni_syscall";
  }

  /** The generation's numbers beyond the generic table's. */
  default void addNumbers(Map<String, Integer> numbers) {}

  /** The symbol a system call's table entry links to. */
  default String syscallSymbol(String name, int nargs) {
    return SyscallWrappers.symbol("__arm64", ptregsWrappers(), name, nargs);
  }

  /** A system call's C routine; wrapped, its arguments come from regs->regs[i]. */
  default RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return SyscallWrappers.routine(k, syscallSymbol(name, params.length), ptregsWrappers(), name,
        source, params, i -> "regs[" + i + "]", i -> 8 * i);
  }
}
