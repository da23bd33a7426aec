package kstack.arch.arm64;

import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Module;

/**
 * One generation's arm64 data layout: the 48-bit kernel VA map (asm/memory.h), the name
 * asm-offsets.c gives sizeof(struct pt_regs), pt_regs' members after syscallno (ending in the
 * stackframe record), and thread_info. {@link Arm64Layouts} builds what every generation shares.
 */
interface Arm64Layout extends Module {
  /**
   * The kernel's 48-bit VA map: PAGE_OFFSET (the linear map's base), MODULES_VADDR, KIMAGE_VADDR
   * (where the image is mapped), __START_KERNEL (its first text address), VMALLOC_START, and where
   * the model's vmalloc allocations begin.
   */
  record VaMap(long pageOffset, long modulesVaddr, long kimageVaddr, long startKernel,
      long vmallocStart, long vmallocAllocStart) {}

  /** The generation's VA map (asm/memory.h). */
  VaMap va();

  /**
   * Whether va lies in the linear map: 4.16, a linear-map address has bit VA_BITS-1 set; 6.x
   * (flipped VA), it lies in [PAGE_OFFSET, PAGE_END), PAGE_END = PAGE_OFFSET + 2^(VA_BITS-1).
   */
  boolean inLinearMap(long va, long pageOffset);

  /**
   * A linear-map address's offset from the start of RAM: 4.16 va & ~PAGE_OFFSET, 6.x va -
   * PAGE_OFFSET (the same value below 2^47, VA_BITS 48).
   */
  long linearOffset(long va, long pageOffset);

  /** THREAD_ALIGN is 2 * THREAD_SIZE whatever VMAP_STACK says (else only under VMAP_STACK). */
  boolean threadAlignAlwaysDoubled();

  /** asm-offsets.c's name for sizeof(struct pt_regs): S_FRAME_SIZE, later PT_REGS_SIZE. */
  String ptRegsSizeName();

  /** pt_regs after syscallno, up to and including stackframe; structs it uses go into m first. */
  void addPtRegsTail(Map<String, StructLayout> m, StructLayout.Builder regs, Types t);

  /** thread_info after flags. */
  void addThreadInfo(StructLayout.Builder ti, Types t);
}
