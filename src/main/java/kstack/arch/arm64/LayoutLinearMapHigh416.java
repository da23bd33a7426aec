package kstack.arch.arm64;

import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;

/**
 * 4.16's layout: the linear map in the upper half of the 48-bit VA space, modules and the image
 * below it (asm/memory.h@4.16.13:66-72); THREAD_ALIGN doubled only under VMAP_STACK; pt_regs
 * ends unused2, orig_addr_limit, unused, stackframe[2] (asm/ptrace.h@4.16.13:119-141);
 * thread_info {flags, addr_limit, preempt_count} (asm/thread_info.h@4.16.13).
 */
public final class LayoutLinearMapHigh416 implements Arm64Layout {
  /** asm/memory.h: PAGE_OFFSET, MODULES_VADDR, KIMAGE_VADDR, __START_KERNEL, VMALLOC_START. */
  private static final VaMap VA = new VaMap(
      0xffff800000000000L, 0xffff000000000000L, 0xffff000008000000L,
      0xffff000008080000L, 0xffff000008000000L, 0xffff000010000000L);

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public VaMap va() {
    return VA;
  }

  @Override
  public boolean threadAlignAlwaysDoubled() {
    return false;
  }

  @Override
  public String ptRegsSizeName() {
    return "S_FRAME_SIZE";
  }

  @Override
  public void addPtRegsTail(Map<String, StructLayout> m, StructLayout.Builder r, Types t) {
    r.add("unused2", t.u32).add("orig_addr_limit", t.u64).add("unused", t.u64)
        .add("stackframe", t.array(t.u64, 2), "{0, 0} ends a user task's frame chain");
  }

  @Override
  public void addThreadInfo(StructLayout.Builder ti, Types t) {
    ti.add("addr_limit", t.ulong, "mm_segment_t").add("preempt_count", t.s32);
  }

  @Override
  public boolean inLinearMap(long va, long pageOffset) {
    return (va & (1L << 47)) != 0;
  }

  @Override
  public long linearOffset(long va, long pageOffset) {
    return va & ~pageOffset;
  }
}
