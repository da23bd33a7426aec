package kstack.arch.i386;

import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.mem.MemoryFault;
import kstack.trace.Event;

/**
 * A kernel-mode fault has no guard page to explain it on i386 (the stacks are plain pages of the
 * direct map): the #PF handler finds no fixup and the kernel oopses. An overflow that stays on
 * mapped memory never faults at all: it overwrites whatever sits below the stack.
 */
final class I386Oops {
  private I386Oops() {}

  /** TASK_SIZE = PAGE_OFFSET (asm/processor.h, CONFIG_VMSPLIT_3G). */
  static final long PAGE_OFFSET = 0xC0000000L;

  /** The oops of a kernel-mode fault; false (not the kernel's) for a user-mode one. */
  static boolean takeFault(Kernel k, int cpu, MemoryFault f) {
    Cpu c = k.cpu(cpu);
    if ((c.get(Regs.cs) & 3) == 3) {
      return false;
    }
    c.set(Regs.cr2, f.address());
    k.timeline.emit(new Event.PageFaultOops(cpu, Event.OopsForm.I386, f.address(),
        k.symbols.describe(c.get(Regs.eip)), whoIsCurrent(k, cpu), lowmem(f.address())));
    k.panic("Kernel panic - not syncing: Fatal exception");
    return true;
  }

  /**
   * A fault at a kernel address in the direct map is the simulator's limit, not the kernel's: the
   * model holds only the memory it allocated, where a real i386 maps all of lowmem, so a real
   * overflow would go on overwriting some other allocation there without faulting.
   */
  private static boolean lowmem(long addr) {
    // lowmem: PAGE_OFFSET up to the 896 MiB the direct map covers (VMALLOC_RESERVE 128 MiB)
    return addr >= PAGE_OFFSET && addr < PAGE_OFFSET + (896L << 20);
  }

  /**
   * "pid N" for the oops line; on 2.6.11, where current is read through the thread_info at the
   * stack base, an overflow that clobbered it leaves no task to name.
   */
  private static String whoIsCurrent(Kernel k, int cpu) {
    try {
      return "pid " + k.tasks.pid(k.current(cpu));
    } catch (MemoryFault e) {
      long base = k.cpu(cpu).get(Regs.esp) & -k.threadSize;
      try {
        return String.format("current unreadable: current_thread_info()->task is 0x%x, overwritten",
            k.readPtr(base));
      } catch (MemoryFault below) {
        return String.format("current unreadable: esp 0x%x has left every stack",
            k.cpu(cpu).get(Regs.esp));
      }
    }
  }
}
