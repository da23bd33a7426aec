package kstack.arch.x86_64;

import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/**
 * 2.6.32's layout: THREAD_ORDER 1 (8 KiB stacks, page_64_types.h@2.6.32), IRQ_STACK_ORDER 2,
 * thread_info at the stack base, KERNEL_STACK_OFFSET 5*8 (thread_info.h@2.6.32:200-229), the
 * thread_struct with sp0 and usersp, no switch frame struct (switch_to pushes rflags and rbp).
 */
public final class LayoutsThreadInfoAtBase2632 implements Layouts64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public long threadSize(Profile p) {
    return 8192L;
  }

  @Override
  public long pageOffset() {
    return 0xffff880000000000L;
  }

  @Override
  public long vmallocStart() {
    return 0xffffc20000000000L;
  }

  @Override
  public long irqStackSize(long threadSize) {
    return 16384L;
  }

  @Override
  public long entryStackSize() {
    return 512L;
  }

  @Override
  public void addConstants(Map<String, Long> c) {
    c.put("KERNEL_STACK_OFFSET", 40L); // 5*8: thread_info.h@2.6.32:200-229
  }

  @Override
  public void addTaskLayouts(Map<String, StructLayout> m, Profile p, Types t, StructLayout ptRegs) {
    m.put("thread_info", X86Layouts.threadInfo26(t));
    m.put("thread_struct", X86Layouts.threadStruct26(t));
  }

  @Override
  public void addIoBitmap(StructLayout.Builder tss, Types t) {
    X86Layouts.ioBitmapLongs(tss, t);
  }
}
