package kstack.arch.i386;

import java.util.Map;
import java.util.Set;
import kstack.arch.SyscallWrappers;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's entry_32.S and common.c (I386Entry): entry_INT80_32, do_int80_syscall_32, the SyS_NAME /
 * sys_NAME pairs of SYSCALL_DEFINEx (no __ia32_ wrappers yet), the 64-word entry stack of
 * cpu_entry_area (SIZEOF_entry_stack, asm-offsets.c@4.16.13:105; processor.h@4.16.13:340-342).
 */
public final class Entry416 implements I386EntryModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildEntry(Kernel k) {
    I386Entry.build(k);
  }

  @Override
  public Map<String, Integer> syscallNumbers() {
    return I386Unistd.table("exit_group", "clock_nanosleep", "pipe2", "finit_module");
  }

  @Override
  public String syscallSymbol(String name, int nargs) {
    return SyscallWrappers.symbol("__ia32", false, name, nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return SyscallWrappers.routine(k, syscallSymbol(name, params.length), false, name,
        source, params, i -> "", i -> 0).asmlinkage();
  }

  /** The entry stack's page: after the one-page gdt (arch/x86/include/asm/cpu_entry_area.h@4.16.13:18-25). */
  @Override
  public long entryStackPageOffset() {
    return 0x1000;
  }

  @Override
  public long entryStackSize() {
    return 64L * 4;
  }
}
