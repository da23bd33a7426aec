package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.4.22's interrupts: the IRQn_interrupt stubs are entry.S's (I386Entry24, built with the entry
 * code) and do_IRQ is kstack.kernel.Irq24's; no IRQ stacks, the PIT on IRQ 0.
 */
public final class Irq24 extends PicIrq {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  @Override
  public void buildIrq(Kernel k) {
    // nothing of its own: the stubs come with entry.S, do_IRQ with the generic 2.4 kernel
  }

  @Override
  public String idtEntry(int vector) {
    return I386Entry24.handler(vector);
  }
}
