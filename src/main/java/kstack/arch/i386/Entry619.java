package kstack.arch.i386;

import java.util.Map;
import java.util.Set;
import kstack.arch.SyscallWrappers;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's entry_32.S and the generic entry code (I386Entry619): the per-CPU entry stack of one page
 * under TSS.sp0 (processor.h@6.19:361-363), __ia32_sys_ pt_regs wrappers reached through
 * ia32_sys_call (syscall_wrapper.h@6.19; nanosleep_time32), clone3.
 */
public final class Entry619 implements I386EntryModel {
  private static final String[] ARG_REGS = {"bx", "cx", "dx", "si", "di", "bp"};

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY, Feature.SYSCALL_PTREGS_WRAPPERS);
  }

  @Override
  public void buildEntry(Kernel k) {
    I386Entry619.build(k);
  }

  @Override
  public Map<String, Integer> syscallNumbers() {
    return I386Unistd.table("exit_group", "clock_nanosleep", "clone3", "pipe2", "finit_module");
  }

  @Override
  public String syscallSymbol(String name, int nargs) {
    return I386Entry619.wrapperSymbol(name, nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return SyscallWrappers.routine(k, syscallSymbol(name, params.length), true, name,
        source, params, i -> ARG_REGS[i], i -> k.image.off("pt_regs", ARG_REGS[i]));
  }

  /** The entry stack's page: after the gdt and guard_entry_stack, a guard page: the 32-bit GDT is writable (cpu_entry_area.h@6.19:90-101). */
  @Override
  public long entryStackPageOffset() {
    return 0x2000;
  }

  @Override
  public long entryStackSize() {
    return 4096;
  }
}
