package kstack.arch.x86_64;

import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * One generation's exceptions on their IST stacks: the NMI (2.6.32 without, later with the
 * nested-NMI protocol), the double fault, #DB and #MC, their entry names and where each CPU's IST
 * stacks lie (2.6.32's per-CPU exception_stacks, 4.16's back-to-back cpu_entry_area stacks, 6.19's
 * with guard pages).
 */
public interface Exceptions64 extends Module, X86Routines {
  /** The IDT entry of an IST exception vector (DF, NMI, DB, MC), or null. */
  String handlerName(int vector);

  /** [low, high) of IST stack i (0 DF, 1 NMI, 2 DB, 3 MCE) of a CPU. */
  long[] istStack(Kernel k, int cpu, int i);

  /** Maps a CPU's IST stacks where they are not part of its per-CPU area. */
  default void mapIstStacks(Kernel k, int cpu) {}
}
