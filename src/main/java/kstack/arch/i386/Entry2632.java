package kstack.arch.i386;

import java.util.Map;
import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's entry_32.S (I386Entry2632): system_call and the ptregs_ stubs, the 68-byte pt_regs; the
 * SYSENTER path is Sysenter2632.
 */
public final class Entry2632 extends SystemCallEntry {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildEntry(Kernel k) {
    I386Entry2632.build(k);
  }

  /** arch/x86/include/asm/unistd_32.h@2.6.32.67: init_module (no finit_module before 3.8), pipe2. */
  @Override
  public Map<String, Integer> syscallNumbers() {
    return I386Unistd.table("init_module", "exit_group", "clock_nanosleep", "pipe2");
  }
}
