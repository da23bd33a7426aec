package kstack.arch.i386;

import kstack.kernel.Kernel;

/**
 * The per-CPU entry stack of cpu_entry_area (4.16, 6.19): SYSENTER_ESP's stack on 4.16, also
 * TSS.sp0's on 6.19. Where its page sits in the area is the entry module's
 * (I386EntryModel#entryStackPageOffset).
 */
final class EntryStack {
  private EntryStack() {}

  /**
   * A CPU's entry_stack_page inside its cpu_entry_area (the area's base is the simulator's
   * placement, CPU_ENTRY_AREA_PER_CPU).
   */
  static long page(Kernel k, int cpu) {
    return k.image.constant("CPU_ENTRY_AREA_PER_CPU") + cpu * 0x40000L
        + ((I386) k.arch).entry().entryStackPageOffset();
  }

  /**
   * The top of a CPU's entry stack, cpu_entry_stack(cpu) + 1: the stack is the start of its page,
   * SIZEOF_entry_stack (ENTRY_STACK_SIZE) bytes long - 256 on 4.16 i386, the whole page on 6.19
   * (processor.h@4.16.13:340-346, @6.19:361-367; common.c@4.16.13:1368, @6.19:2128,2473).
   */
  static long top(Kernel k, int cpu) {
    return page(k, cpu) + k.image.constant("ENTRY_STACK_SIZE");
  }
}
