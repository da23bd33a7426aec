package kstack.arch.x86_64;

import java.util.Set;
import kstack.arch.x86.ApicTimer;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's interrupts (entry_64.S@4.16.13:556-700): the vector stubs into common_interrupt,
 * interrupt_entry moving a user-mode frame to the task stack, ENTER_IRQ_STACK onto the per-CPU
 * IRQ stack by irq_count, ret_from_intr.
 */
public final class InterruptEntry416 implements IrqEntry64 {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    X86Irq.buildInterruptEntry(k, this);
    ApicTimer.buildLocalApicTimerInterrupt(k);
  }

  @Override
  public String timerEntry() {
    return "apic_timer_interrupt";
  }

  @Override
  public int localTimerVector() {
    return 0xed;
  }
}
