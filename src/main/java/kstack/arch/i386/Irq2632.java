package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's interrupts: BUILD_INTERRUPT stubs, do_IRQ on the irq_ctx stacks (I386Irq2632);
 * LOCAL_TIMER_VECTOR 0xef (arch/x86/include/asm/irq_vectors.h@2.6.32.67:104).
 */
public final class Irq2632 implements I386IrqModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildIrq(Kernel k) {
    I386Irq2632.build(k);
  }

  @Override
  public int timerVector() {
    return 0xef;
  }

  @Override
  public String idtEntry(int vector) {
    return vector == timerVector() ? "apic_timer_interrupt" : I386Irq.handler(vector);
  }

  /** The per-CPU IRQ stack pointers (irq_32.c@2.6.32.67:52-140). */
  @Override
  public java.util.List<String> irqStackVars() {
    return java.util.List.of("hardirq_ctx", "softirq_ctx");
  }
}
