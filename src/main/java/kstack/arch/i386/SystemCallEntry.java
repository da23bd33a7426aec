package kstack.arch.i386;

import java.util.List;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * The system_call entry of the generations before entry_INT80_32 (2.4, 2.6.11, 2.6.32): the IDT's
 * 0x80 gate reaches system_call, which calls through sys_call_table with pt_regs as the stack
 * arguments of plain asmlinkage sys_NAME functions (x86 does not select HAVE_SYSCALL_WRAPPERS,
 * syscalls.h@2.6.32:297-318). The generations' modules extend it.
 */
public abstract class SystemCallEntry implements I386EntryModel {
  @Override
  public String syscallSymbol(String name, int nargs) {
    return "sys_" + name;
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return k.image.c(syscallSymbol(name, params.length), source).params(params).asmlinkage();
  }

  @Override
  public String int80Entry() {
    return "system_call";
  }

  /** 2.4, 2.6.11 and 2.6.32 have the arch's kernel_thread (ARCH_KERNEL_THREAD). */
  @Override
  public boolean execveRegsMayBeLeft() {
    return true;
  }
}
