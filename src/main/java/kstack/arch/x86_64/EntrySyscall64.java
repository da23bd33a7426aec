package kstack.arch.x86_64;

import java.util.Map;
import kstack.arch.SyscallWrappers;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * entry_SYSCALL_64 (arch/x86/entry/entry_64.S): pt_regs built at the top of the task stack, the
 * C dispatcher, the SYSRET and IRET ways back. What the generations share is here; each
 * generation's module says where the user rsp is parked and how the C side is reached.
 */
public abstract class EntrySyscall64 implements SyscallEntry64 {
  private static final String[] ARG_REGS = {"di", "si", "dx", "r10", "r8", "r9"};

  /** Whether handlers take one pt_regs pointer (asm/syscall_wrapper.h, since 4.17). */
  abstract boolean ptregsWrappers();

  @Override
  public void build(Kernel k) {
    X86Entry.build(k);
  }

  /**
   * SYSCALL_DEFINE0 defines {@code sys_NAME}; 4.16's SYSCALL_DEFINEx {@code SyS_NAME} with
   * {@code sys_NAME} as an alias (include/linux/syscalls.h@4.16.13:192-219); the pt_regs wrapper
   * {@code __x64_sys_NAME} later (arch/x86/include/asm/syscall_wrapper.h@6.19).
   */
  @Override
  public String syscallSymbol(String name, int nargs) {
    return SyscallWrappers.symbol("__x64", ptregsWrappers(), name, nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source, String... params) {
    return SyscallWrappers.routine(k, syscallSymbol(name, params.length), ptregsWrappers(), name,
        source, params, i -> ARG_REGS[i], i -> k.off("pt_regs", ARG_REGS[i]));
  }

  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    numbers.put("finit_module", 313);
  }
}
