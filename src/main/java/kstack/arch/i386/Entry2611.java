package kstack.arch.i386;

import java.util.List;
import java.util.Map;
import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.11's entry.S (I386Entry2611): system_call with 2.4's SAVE_ALL and 60-byte pt_regs, 2.6's
 * thread_info; SYSENTER through the vsyscall page, built after boot.
 */
public final class Entry2611 extends SystemCallEntry {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.PT_REGS_60, Feature.SYSENTER_2611);
  }

  @Override
  public void buildEntry(Kernel k) {
    I386Entry2611.build(k);
  }

  /** include/asm-i386/unistd.h@2.6.11: init_module 128, exit_group 252, clock_nanosleep 267. */
  @Override
  public Map<String, Integer> syscallNumbers() {
    return I386Unistd.table("init_module", "exit_group", "clock_nanosleep");
  }

  @Override
  public long ptRegsSize() {
    return 60;
  }

  @Override
  public boolean initExecveStub() {
    return true;
  }
}
