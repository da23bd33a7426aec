package kstack.arch.x86_64;

import kstack.kernel.Kernel;

/**
 * x86_64's kernel-mode page faults: the guard-page hit that becomes a double fault, and the oops
 * every other kernel fault ends in.
 */
final class X86Faults {
  private X86Faults() {}

  /**
   * A kernel-mode write that faults where the stack pointer is (the page just below the current
   * stack) cannot be handled on that stack: delivering the #PF pushes onto the same unmapped page,
   * so the CPU raises #DF, which has its own IST stack ([ARCH] SDM 6.15, "Interrupt 8"; traps.c
   * handles the rest). Any other kernel-mode fault: the #PF handler finds no fixup and oopses; the
   * handler chain (do_page_fault/exc_page_fault -> no_context/page_fault_oops) is summarized in one
   * step here.
   */
  static boolean takeFault(X86_64 arch, Kernel k, int cpu, kstack.mem.MemoryFault f) {
    var c = k.cpu(cpu);
    if ((c.get(Regs.cs) & 3) == 3) {
      return false;
    }
    long addr = f.address();
    c.set(Regs.cr2, addr);
    boolean realKernelMaps = directMapped(k, addr);
    if (f.isWrite() && !mapped(k, c.get(Regs.rsp) - 8) && !realKernelMaps) {
      long stack = 0;
      boolean known = true;
      try {
        stack = k.stacks.stack(k.current(cpu));
      } catch (kstack.mem.MemoryFault overwritten) {
        known = false; // current's task_struct is overwritten: its stack cannot be named
      }
      k.timeline.emit(new kstack.trace.Event.WriteDoubleFault(cpu, addr, known, stack));
      arch.deliverInterrupt(k, cpu, X86Exceptions.DF_VECTOR);
      return true;
    }
    k.timeline.emit(new kstack.trace.Event.PageFaultOops(cpu,
        kstack.trace.Event.OopsForm.X86_64, addr, k.symbols.describe(c.get(Regs.rip)), who(k, cpu),
        realKernelMaps));
    k.timeline.emit(new kstack.trace.Event.Panic(cpu,
        "Kernel panic - not syncing: Fatal exception"));
    k.panic("Kernel panic - not syncing: Fatal exception");
    return true;
  }

  private static boolean mapped(Kernel k, long addr) {
    try {
      k.mem.read(addr, 8);
      return true;
    } catch (kstack.mem.MemoryFault f) {
      return false;
    }
  }

  /** "pid N", or why current cannot be named (an overflow overwrote current_task or the task). */
  private static String who(Kernel k, int cpu) {
    try {
      return "pid " + k.tasks.pid(k.current(cpu));
    } catch (kstack.mem.MemoryFault f) {
      return "current unreadable: overwritten";
    }
  }

  /**
   * The direct map covers all of RAM (64 TiB of it: Documentation/x86/x86_64/mm.txt@4.16.13):
   * a page-allocator stack without VMAP_STACK has mapped neighbours, so a real overflow goes on
   * overwriting them without a fault. The model holds only what it allocated, and says so.
   */
  private static boolean directMapped(Kernel k, long addr) {
    long start = k.image.constant("PAGE_OFFSET");
    return Long.compareUnsigned(addr, start) >= 0
        && Long.compareUnsigned(addr, start + (64L << 40)) < 0;
  }
}
