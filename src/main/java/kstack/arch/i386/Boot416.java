package kstack.arch.i386;

import java.util.Set;
import kstack.profile.Feature;

/** 4.16's boot: head_32.S, the per-CPU cpu_tss_rw and IRQ stacks, native_cpu_up. */
public final class Boot416 extends BootPerCpu {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }
}
