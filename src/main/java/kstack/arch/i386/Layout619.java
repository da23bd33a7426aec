package kstack.arch.i386;

import java.util.Set;
import kstack.profile.Feature;

/** 6.19's layouts: cpu and syscall_work in thread_info, eflags in the switch frame, struct x86_io_bitmap in the TSS. */
public final class Layout619 extends LayoutInTask {
  public Layout619() {
    super(true, true, true);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK, Feature.TASK_CPU_IN_THREAD_INFO, Feature.TSS_IO_BITMAP_STRUCT, Feature.IRQENTRY);
  }
}
