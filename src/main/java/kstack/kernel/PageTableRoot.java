package kstack.kernel;


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
  private PageTableRoot() {}

  /** init_mm's pgd in the model (the real one is swapper_pg_dir / init_top_pgt). */
  static long initMmPgd(Kernel k) {
    return k.image.symbol("init_mm");
  }

  /** The register value that selects mm: __pa(mm->pgd). */
  public static long of(Kernel k, long mm) {
    return pa(k, k.readPtr(mm + k.mm.off(MmMember.pgd)));
  }

  /** The register value for init_mm, also before its initialiser ran (the CPU's power-on value). */
  public static long ofInitMm(Kernel k) {
    return pa(k, initMmPgd(k));
  }

  /** __pa(va) of a kernel address, as the arch computes it ({@link ArchImage#pa}). */
  public static long pa(Kernel k, long va) {
    return k.arch.pa(k, va);
  }
}
