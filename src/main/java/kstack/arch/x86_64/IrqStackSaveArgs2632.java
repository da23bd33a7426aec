package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's interrupts (entry_64.S@2.6.32:305-343, 795-865; irq_64.c@2.6.32; X86Irq26): the
 * interrupt macro and save_args, which moves to irq_stack_union on the first level; do_softirq
 * through call_softirq on the same stack.
 */
public final class IrqStackSaveArgs2632 implements IrqEntry64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SOFTIRQ_VIA_DO_SOFTIRQ);
  }

  @Override
  public void build(Kernel k) {
    X86Irq26.build(k, this);
  }

  @Override
  public String timerEntry() {
    return "apic_timer_interrupt";
  }

  @Override
  public int localTimerVector() {
    return 0xef;
  }
}
