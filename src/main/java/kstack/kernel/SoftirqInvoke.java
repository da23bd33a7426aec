package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * Where irq_exit's invoke_softirq() runs the pending softirqs (kernel/softirq.c): through
 * do_softirq on 2.6.32's x86, which lacks __ARCH_IRQ_EXIT_IRQS_DISABLED; through the arch's
 * do_softirq_own_stack where the arch moves to its IRQ stack; or in __do_softirq on the stack
 * irq_exit runs on.
 */
public enum SoftirqInvoke {
  DO_SOFTIRQ("do_softirq", "  do_softirq(): x86 lacks __ARCH_IRQ_EXIT_IRQS_DISABLED",
      Feature.SOFTIRQ_VIA_DO_SOFTIRQ),
  OWN_STACK("do_softirq_own_stack", "  do_softirq_own_stack(): the arch moves to its IRQ stack",
      Feature.SOFTIRQ_ON_OWN_STACK),
  IN_PLACE("__do_softirq", "  __do_softirq(): on the stack irq_exit runs on", null);

  final String target;
  final String text;
  private final Feature feature;

  SoftirqInvoke(String target, String text, Feature feature) {
    this.target = target;
    this.text = text;
    this.feature = feature;
  }

  /** The cited feature this way of invoking softirqs is, if it has one. */
  Set<Feature> features() {
    return feature == null ? Set.of() : Set.of(feature);
  }
}
