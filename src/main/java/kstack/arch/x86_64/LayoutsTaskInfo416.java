package kstack.arch.x86_64;

import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/**
 * 4.16's layout: thread_info {flags, status} (asm/thread_info.h@4.16.13:55-58), PAGE_OFFSET
 * 0xffff880000000000, the 512-byte entry stack, io_bitmap as IO_BITMAP_LONGS + 1 longs
 * (processor.h@4.16.13:348-363).
 */
public final class LayoutsTaskInfo416 extends LayoutsThreadInfoInTask {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public long pageOffset() {
    return 0xffff880000000000L;
  }

  @Override
  public long entryStackSize() {
    return 512L;
  }

  @Override
  StructLayout threadInfo(Profile p, Types t) {
    return X86Layouts.threadInfo(p, t, false);
  }

  @Override
  public void addIoBitmap(StructLayout.Builder tss, Types t) {
    X86Layouts.ioBitmapLongs(tss, t);
  }
}
