package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's interrupts: the idtentry stubs and the generic entry code (I386Irq619);
 * LOCAL_TIMER_VECTOR 0xec (arch/x86/include/asm/irq_vectors.h@6.19:98).
 */
public final class Irq619 implements I386IrqModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void buildIrq(Kernel k) {
    I386Irq619.build(k);
  }

  @Override
  public int timerVector() {
    return 0xec;
  }

  @Override
  public String idtEntry(int vector) {
    if (vector == timerVector()) {
      return "asm_sysvec_apic_timer_interrupt";
    }
    return vector == I386Irq.NMI_VECTOR ? "asm_exc_nmi" : I386Irq.handler(vector);
  }

  /** The per-CPU IRQ stack pointers (irq_32.c@6.19). */
  @Override
  public java.util.List<String> irqStackVars() {
    return java.util.List.of("hardirq_stack_ptr", "softirq_stack_ptr");
  }
}
