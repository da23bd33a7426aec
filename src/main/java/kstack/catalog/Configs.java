package kstack.catalog;

import kstack.profile.KernelConfig;

/** The configuration options of the profile table's entries that share them, per architecture. */
final class Configs {
  private Configs() {}

  static KernelConfig i386() {
    return KernelConfig.builder()
        .option("VM86", false, "TOP_OF_KERNEL_STACK_PADDING becomes 16: room for the vm86 segment "
            + "registers (asm/thread_info.h@4.16.13:38-43)")
        .option("PREEMPT", false, "an interrupt returning to kernel mode may preempt "
            + "(resume_kernel → preempt_schedule_irq); off = PREEMPT_NONE")
        .build();
  }

  /**
   * arm64's options. VMAP_STACK is a choice at 4.16 (HAVE_ARCH_VMAP_STACK, Kconfig@4.16.13:98;
   * off: page-allocator stacks, static per-CPU IRQ stacks, no overflow check) and selected by the
   * architecture at 6.19 (Kconfig@6.19:286).
   */
  static KernelConfig arm64(boolean vmapSelected) {
    String vmap = "stacks from vmalloc, 2*THREAD_SIZE aligned, so kernel_ventry can test one SP "
        + "bit for an overflow";
    KernelConfig.Builder b = KernelConfig.builder()
        .option("KASAN", false, "MIN_THREAD_SHIFT 15: THREAD_SIZE 32 KiB (asm/memory.h)");
    if (vmapSelected) {
      b.fixed("VMAP_STACK", true, vmap, "ARM64 selects VMAP_STACK (arch/arm64/Kconfig@6.19:286)");
    } else {
      b.option("VMAP_STACK", true, vmap);
    }
    return b.option("PREEMPT", false, "el1_irq may preempt (4.16 defconfig has it on)").build();
  }

  static KernelConfig x86_64(boolean hasFred) {
    KernelConfig.Builder b = KernelConfig.builder()
        .option("KASAN", false, "doubles THREAD_SIZE (KASAN_STACK_ORDER 1): page_64_types.h")
        .option("VMAP_STACK", true, "task stacks come from vmalloc with guard pages: kernel/fork.c")
        .option("PREEMPT", false, "an interrupt returning to kernel mode may preempt "
            + "(preempt_schedule_irq); off = PREEMPT_NONE");
    if (hasFred) {
      b.option("X86_FRED", false,
          "TOP_OF_KERNEL_STACK_PADDING becomes 16 on x86_64: asm/thread_info.h@6.19:35-51");
    }
    return b.build();
  }
}
