package kstack.arch.x86_64;

import kstack.kernel.Kernel;

/**
 * What boot on x86_64 shares across generations: the per-CPU stacks' bounds (the IRQ stack, the
 * cpu_entry_area's entry stack), the vmapped IRQ stack, and whether a CPU is online. The
 * generations' boot paths are their Boot64 modules.
 */
public final class X86Boot {
  private X86Boot() {}

  static final String HEAD = "arch/x86/kernel/head_64.S";

  /** cpu_entry_stack(cpu) + 1: the top of the per-CPU entry (trampoline) stack. */
  static long entryStackTop(Kernel k, int cpu) {
    return k.image.constant("CPU_ENTRY_AREA_PER_CPU") + cpu * 0x40000L + 4096 + k.image.constant("ENTRY_STACK_SIZE");
  }

  /**
   * irq_64.c@6.19:29-71: the IRQ stack seen through a vmap alias with guard pages. The simulator
   * models the alias (the backing store is not given separate bytes); the pointer is the top minus
   * one word ("Store actual TOS").
   */
  static void mapIrqStack(Kernel k, int cpu) {
    long size = k.image.constant("IRQ_STACK_SIZE");
    long va = k.pages.vmalloc(size, size, "IRQ stack of CPU " + cpu);
    k.mem.write64(k.perCpu("hardirq_stack_ptr", cpu), va + size - 8);
  }

  /** The vmapped IRQ stack of a CPU as [low, high), once hardirq_stack_ptr is set. */
  static long[] hardirqStack(Kernel k, int cpu) {
    long size = k.image.constant("IRQ_STACK_SIZE");
    long ptr = k.mem.read64(k.perCpu("hardirq_stack_ptr", cpu));
    return ptr == 0 ? null : new long[] {ptr + 8 - size, ptr + 8};
  }

  /** The per-CPU irq_stack_union of a CPU as [low, high) (DEFINE_PER_CPU_FIRST). */
  static long[] irqStackUnion(Kernel k, int cpu) {
    long base = k.perCpu("irq_stack_union", cpu);
    return new long[] {base, base + k.image.constant("IRQ_STACK_SIZE")};
  }

  /** Whether a CPU has marked itself online (cpu_online(cpu)). */
  static boolean online(Kernel k, int cpu) {
    return (k.mem.read64(k.image.symbol("__cpu_online_mask")) & (1L << cpu)) != 0;
  }
}
