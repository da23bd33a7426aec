package kstack.arch.i386;

import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How an i386 generation takes interrupts: the IDT's interrupt entries (the 8259 IRQn stubs or
 * irq_entries_start, the timer, NMI), their entry code and do_IRQ's side, and which vector ticks.
 * The profile table picks one per profile.
 */
public interface I386IrqModel extends Module {
  /** The interrupt entries and their C side. */
  void buildIrq(Kernel k);

  /** The vector of the periodic tick. */
  int timerVector();

  /** What the tick is called in notes. */
  default String timerName() {
    return "local timer";
  }

  /** ISA_IRQ_VECTOR(0): legacy lines 0-15 at vectors 0x30-0x3f (asm/irq_vectors.h). */
  default int isaIrqBase() {
    return 0x30;
  }

  /** The per-CPU pointers to the hardirq and softirq stacks (none: interrupts use the task stack). */
  default java.util.List<String> irqStackVars() {
    return java.util.List.of();
  }

  /** The IDT entry an interrupt vector reaches (system call and #DB/#MC are asked elsewhere). */
  String idtEntry(int vector);
}
