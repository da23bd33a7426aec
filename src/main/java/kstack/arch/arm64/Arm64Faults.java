package kstack.arch.arm64;

import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.mem.MemoryFault;

/**
 * arm64's kernel-mode data aborts: the overflowing SP that kernel_ventry sends to the overflow
 * stack, and the oops every other kernel abort ends in.
 */
final class Arm64Faults {
  private Arm64Faults() {}

  /**
   * A kernel-mode store below the stack base is a data abort at EL1; the vector's SP test
   * (kernel_ventry: bit THREAD_SHIFT of the new SP) sends it to the overflow stack. Any other
   * kernel-mode abort passes that test and goes el1_sync -> el1_da -> do_mem_abort ->
   * do_translation_fault -> do_page_fault -> __do_kernel_fault, which finds no fixup and oopses
   * (entry.S@4.16.13:89-131, 527-547; fault.c@4.16.13:258-285, @6.19 el1h_64_sync_handler ->
   * el1_abort -> do_mem_abort): that chain is summarized in one step, and the kernel panics.
   */
  static boolean takeFault(Arm64Exceptions arch, Kernel k, int cpu, MemoryFault f) {
    Cpu c = k.cpu(cpu);
    if (arch.inUserMode(k, cpu)) {
      return false;
    }
    c.set(Regs.far_el1, f.address());
    k.timeline.emit(new kstack.trace.Event.DataAbort(cpu, f.isWrite(),
        k.symbols.describe(c.get(Regs.pc)), f.address(), f.guard() == null ? null : f.guard().name()));
    long sp = c.get(Regs.sp) - Arm64Entry.S_FRAME_SIZE;
    if (k.profile.config("VMAP_STACK") && (sp >>> k.image.constant("THREAD_SHIFT") & 1) != 0) {
      Arm64Exceptions.takeException(c, c.get(Regs.pc), 0x400, 0x25L << 26);
      return true;
    }
    k.timeline.emit(new kstack.trace.Event.PageFaultOops(cpu,
        kstack.trace.Event.OopsForm.ARM64, f.address(), k.symbols.describe(c.get(Regs.pc)), "",
        linearMapped(k, f.address())));
    k.timeline.emit(new kstack.trace.Event.Panic(cpu,
        "Kernel panic - not syncing: Fatal exception"));
    k.panic("Kernel panic - not syncing: Fatal exception");
    return true;
  }

  /**
   * Without VMAP_STACK a task stack is linear-map memory from the page allocator, and the linear
   * map covers all of RAM: a real overflow runs on over the neighbouring pages without faulting.
   * The model holds only what it allocated, so a fault there is its limit, and it says so.
   */
  private static boolean linearMapped(Kernel k, long addr) {
    long start = k.image.constant("PAGE_OFFSET");
    long end = k.image.constant("MODULES_VADDR");
    return Long.compareUnsigned(addr, start) >= 0
        && (Long.compareUnsigned(start, end) > 0 || Long.compareUnsigned(addr, end) < 0);
  }
}
