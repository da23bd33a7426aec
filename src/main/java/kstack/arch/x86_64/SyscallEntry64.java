package kstack.arch.x86_64;

import java.util.Map;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * The system call path of one generation: the SYSCALL entry (2.6.32's system_call with its partial
 * frame, 4.16's entry_SYSCALL_64 through rsp_scratch, 6.19's through TSS.sp2 into do_syscall_64),
 * the names its handlers link under, and the numbers the generation's table adds.
 */
public interface SyscallEntry64 extends Module, X86Routines {
  /** The symbol the table's entry for a system call links to (sys_, SyS_ or __x64_sys_). */
  String syscallSymbol(String name, int nargs);

  /** A system call's C routine, with the generation's calling convention. */
  RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params);

  /** The generation's numbers beyond the ones every x86_64 table has (syscall_64.tbl). */
  void addNumbers(Map<String, Integer> numbers);
}
