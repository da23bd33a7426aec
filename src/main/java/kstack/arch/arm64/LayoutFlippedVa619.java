package kstack.arch.arm64;

import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;

/**
 * 6.19's layout: the VA map flipped, the linear map in the lower half and modules, vmalloc and the
 * image in the upper (asm/memory.h@6.19:44-66); THREAD_ALIGN always 2 * THREAD_SIZE (VMAP_STACK
 * is selected); pt_regs ends pmr, sdei_ttbr1 and the typed frame_record_meta
 * (asm/ptrace.h@6.19:156-172, asm/stacktrace/frame.h@6.19); thread_info {flags, preempt_count
 * (u64 union), cpu} (asm/thread_info.h@6.19).
 */
public final class LayoutFlippedVa619 implements Arm64Layout {
  /** asm/memory.h: PAGE_OFFSET, MODULES_VADDR, KIMAGE_VADDR, __START_KERNEL, VMALLOC_START. */
  private static final VaMap VA = new VaMap(
      0xffff000000000000L, 0xffff800000000000L, 0xffff800080000000L,
      0xffff800080000000L, 0xffff800080000000L, 0xffff800090000000L);

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK, Feature.TASK_CPU_IN_THREAD_INFO,
        Feature.ARM64_FLIPPED_VA, Feature.ARM64_FINAL_FRAME_RECORD);
  }

  @Override
  public VaMap va() {
    return VA;
  }

  @Override
  public boolean threadAlignAlwaysDoubled() {
    return true;
  }

  @Override
  public String ptRegsSizeName() {
    return "PT_REGS_SIZE";
  }

  @Override
  public void addPtRegsTail(Map<String, StructLayout> m, StructLayout.Builder r, Types t) {
    StructLayout meta = StructLayout.builder("frame_record_meta",
        "arch/arm64/include/asm/stacktrace/frame.h@6.19")
        .add("fp", t.u64).add("lr", t.u64).add("type", t.u64, "FINAL 1, PT_REGS 2").build();
    m.put("frame_record_meta", meta);
    r.add("pmr", t.u32, "pseudo-NMI only").add("sdei_ttbr1", t.u64)
        .add("stackframe", t.struct(meta), "the metadata frame record");
  }

  @Override
  public void addThreadInfo(StructLayout.Builder ti, Types t) {
    ti.add("preempt_count", t.u64, "union { u64 preempt_count; struct { u32 count, need_resched } }")
        .add("cpu", t.u32);
  }

  @Override
  public boolean inLinearMap(long va, long pageOffset) {
    return Long.compareUnsigned(va - pageOffset, 1L << 47) < 0;
  }

  @Override
  public long linearOffset(long va, long pageOffset) {
    return va - pageOffset;
  }
}
