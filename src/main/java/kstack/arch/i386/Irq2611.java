package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.6.11's interrupts: its own stubs, common_interrupt, do_IRQ and irq_ctx (I386Irq2611). */
public final class Irq2611 extends PicIrq {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQ_2611);
  }

  @Override
  public void buildIrq(Kernel k) {
    I386Irq2611.build(k);
  }

  @Override
  public String idtEntry(int vector) {
    return I386Irq.handler(vector);
  }

  /** The per-CPU IRQ stack pointers (irq.c@2.6.11:34-40). */
  @Override
  public java.util.List<String> irqStackVars() {
    return java.util.List.of("hardirq_ctx", "softirq_ctx");
  }
}
