package kstack.kernel;

import kstack.profile.Feature;

/**
 * What the MMU register that selects an address space holds (x86's CR3, arm64's TTBR0_EL1): the
 * physical address of the mm's page-table root, never a kernel virtual address. switch_mm loads
 * {@code __pa(next->pgd)}: x86_64 2.6.32 through load_cr3 (asm/mmu_context.h@2.6.32.67:46,
 * asm/processor.h@2.6.32.67:191-194), 4.16 and 6.19 through build_cr3 (asm/tlbflush.h@4.16.13:121-129,
 * mm/tlb.c@6.19:161-169; a CPU without PCID, so no ASID in the low bits), i386 2.4 and 2.6.11 with
 * {@code movl __pa(pgd), %cr3} (asm-i386/mmu_context.h@2.4.22:45 and processor.h@2.4.22:184-185,
 * asm-i386/mmu_context.h@2.6.11:42 and processor.h@2.6.11:194-195),
 * arm64 through cpu_switch_mm's virt_to_phys(pgd) (asm/mmu_context.h@4.16.13:58-62, @6.19:58-61;
 * the ASID goes to TTBR1).
 *
 * <p>In the model an mm's page-table root is the mm_struct's own page (mm->pgd == mm, written by
 * exec_mmap, copy_mm and init_mm's initialiser): no page table is walked, the register only has to
 * name the address space, and now it does so with the value the CPU would hold.
 */
public final class PageTableRoot {
  /** x86_64's __START_KERNEL_map (page_64_types.h): the kernel image's virtual base. */
  private static final long START_KERNEL_MAP = 0xffffffff80000000L;
  /**
   * arm64's PHYS_OFFSET (memstart_addr): RAM starts at 0x40000000, as on QEMU's virt board, and the
   * image is loaded at its start (kimage_voffset = KIMAGE_VADDR - PHYS_OFFSET). A modelling choice:
   * the boot loader decides it on a real machine.
   */
  private static final long ARM64_PHYS_OFFSET = 0x40000000L;

  private PageTableRoot() {}

  /** init_mm's pgd in the model (the real one is swapper_pg_dir / init_top_pgt). */
  static long initMmPgd(Kernel k) {
    return k.image.symbol("init_mm");
  }

  /** The register value that selects mm: __pa(mm->pgd). */
  public static long of(Kernel k, long mm) {
    return pa(k, k.readPtr(mm + k.image.off("mm_struct", "pgd")));
  }

  /** The register value for init_mm, also before its initialiser ran (the CPU's power-on value). */
  public static long ofInitMm(Kernel k) {
    return pa(k, initMmPgd(k));
  }

  /**
   * __pa(va) of a kernel address, per arch: x86_64 __phys_addr_nodebug (asm/page_64.h@4.16.13:14-22,
   * @6.19:23-31; arch/x86/mm/physaddr.c@2.6.32.67:11-23) with phys_base 0 (the image runs at the
   * address it was linked for); i386 va - PAGE_OFFSET (asm/page_32.h@4.16.13:9, @6.19:9;
   * asm-i386/page.h@2.6.11:134, @2.4.22:132); arm64 __virt_to_phys_nodebug, the linear map or the
   * image (asm/memory.h@4.16.13:226-234, @6.19:333-340).
   */
  public static long pa(Kernel k, long va) {
    long pageOffset = k.image.constant("PAGE_OFFSET");
    switch (k.arch.name()) {
      case "x86_64":
        return Long.compareUnsigned(va, START_KERNEL_MAP) >= 0 ? va - START_KERNEL_MAP
            : va - pageOffset;
      case "i386":
        return (va - pageOffset) & 0xffffffffL;
      default:
        // 4.16: a linear-map address has bit VA_BITS-1 set; 6.x (flipped): it lies in
        // [PAGE_OFFSET, PAGE_END), PAGE_END = PAGE_OFFSET + 2^(VA_BITS-1). Both: va - PAGE_OFFSET
        // below 2^47 (VA_BITS 48), the 4.16 mask reaching the same value for those addresses.
        boolean linear = k.profile.has(Feature.ARM64_FLIPPED_VA)
            ? Long.compareUnsigned(va - pageOffset, 1L << 47) < 0
            : (va & (1L << 47)) != 0;
        long kimageVoffset = k.image.constant("KIMAGE_VADDR") - ARM64_PHYS_OFFSET;
        return linear ? (k.profile.has(Feature.ARM64_FLIPPED_VA) ? va - pageOffset
            : va & ~pageOffset) + ARM64_PHYS_OFFSET : va - kimageVoffset;
    }
  }
}
