package kstack.arch.x86_64;

import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/**
 * 6.19's layout: thread_info {flags, syscall_work, status, cpu} (asm/thread_info.h@6.19:62-69),
 * PAGE_OFFSET 0xffff888000000000, a page-sized entry stack, and struct x86_io_bitmap in the TSS
 * (processor.h@6.19:372-409).
 */
public final class LayoutsTaskInfo619 extends LayoutsThreadInfoInTask {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK, Feature.TASK_CPU_IN_THREAD_INFO,
        Feature.TSS_IO_BITMAP_STRUCT);
  }

  @Override
  public long pageOffset() {
    return 0xffff888000000000L;
  }

  @Override
  public long entryStackSize() {
    return 4096L;
  }

  @Override
  StructLayout threadInfo(Profile p, Types t) {
    return X86Layouts.threadInfo(p, t, true);
  }

  @Override
  public void addIoBitmap(StructLayout.Builder tss, Types t) {
    tss.add("io_bitmap", t.struct(StructLayout.builder("x86_io_bitmap", "processor.h@6.19:372-398")
        .add("prev_sequence", t.u64).add("prev_max", t.u32)
        .add("bitmap", t.array(t.ulong, 1025)).add("mapall", t.array(t.ulong, 1025)).build()));
  }
}
