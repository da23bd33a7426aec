package kstack.arch.x86_64;

import java.util.Set;
import kstack.arch.x86.ApicTimer;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's interrupts (idtentry in entry_64.S@6.19, asm/idtentry.h@6.19, asm/irq_stack.h@6.19):
 * error_entry and sync_regs, irqentry_enter, and call_on_irqstack_cond, which stays on the task
 * stack for a user-mode interrupt.
 */
public final class IdtentryIrqentry619 implements IrqEntry64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void build(Kernel k) {
    X86Irq.buildIdtentry(k);
    ApicTimer.buildLocalApicTimerInterrupt(k);
  }

  @Override
  public String timerEntry() {
    return "asm_sysvec_apic_timer_interrupt";
  }

  @Override
  public int localTimerVector() {
    return 0xec;
  }
}
