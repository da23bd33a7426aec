package kstack.arch.x86_64;

import kstack.profile.Module;

/**
 * How one generation enters and leaves an interrupt: 2.6.32's common_interrupt with save_args and
 * the per-CPU irq_stack_union, 4.16's interrupt_entry with ENTER_IRQ_STACK, 6.19's idtentry with
 * irqentry_enter and call_on_irqstack_cond. The vector stubs, the APIC timer's entry and vector.
 */
public interface IrqEntry64 extends Module, X86Routines {
  /** The IDT entry of LOCAL_TIMER_VECTOR. */
  String timerEntry();

  /**
   * LOCAL_TIMER_VECTOR, which moved down as vectors were added above it:
   * arch/x86/include/asm/irq_vectors.h@2.6.32.67:104 (0xef), @4.16.13:111 (0xed), @6.19:98 (0xec).
   */
  int localTimerVector();
}
