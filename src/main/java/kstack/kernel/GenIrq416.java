package kstack.kernel;

import kstack.kernel.GenIrq.L;
import java.util.Set;
import kstack.profile.Feature;

/**
 * The generic interrupt code of 4.16 (kernel/softirq.c, kernel/irq/, kernel/time/hrtimer.c and
 * tick-sched.c @4.16.13): irq_enter/irq_exit, handle_edge_irq → handle_irq_event, tick_sched_timer
 * → tick_sched_handle → update_process_times → scheduler_tick.
 */
public final class GenIrq416 extends GenIrq {
  private final SoftirqInvoke invoke;

  public GenIrq416(SoftirqInvoke invoke) {
    super(invoke, false, "tick_sched_timer", "scheduler_tick");
    this.invoke = invoke;
  }

  @Override
  public Set<Feature> features() {
    return featuresWith();
  }

  @Override
  public String toString() {
    return "GenIrq416(" + invoke + ")";
  }
}
