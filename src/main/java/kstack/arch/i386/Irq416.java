package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's interrupts: irq_entries_start and common_interrupt onto the per-CPU IRQ stack (I386Irq);
 * LOCAL_TIMER_VECTOR 0xed (arch/x86/include/asm/irq_vectors.h@4.16.13:111).
 */
public final class Irq416 implements I386IrqModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildIrq(Kernel k) {
    I386Irq.build(k);
  }

  @Override
  public int timerVector() {
    return 0xed;
  }

  @Override
  public String idtEntry(int vector) {
    return vector == timerVector() ? "apic_timer_interrupt" : I386Irq.handler(vector);
  }

  /** The per-CPU IRQ stack pointers (irq_32.c@4.16.13). */
  @Override
  public java.util.List<String> irqStackVars() {
    return java.util.List.of("hardirq_stack", "softirq_stack");
  }
}
