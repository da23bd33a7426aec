package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * The generic interrupt code of 2.6.11: softirqs in 2.6.11's words (Softirq2611), the timer list
 * and the uniprocessor tick before hrtimers (Timer2611), and the demo device that
 * arch/i386/kernel/irq.c's __do_IRQ → handle_IRQ_event calls (I386Irq2611); no genirq flow
 * handler yet (kernel/irq/ arrived in 2.6.17).
 */
public final class Irq2611 implements IrqCore {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQ_2611, Feature.NO_HRTIMERS);
  }

  @Override
  public void build(Kernel k) {
    Softirq2611.build(k);
    Timer2611.build(k);
    Irq.buildDemoDevice(k, Softirq2611.TASKLET_SOFTIRQ);
    k.profile.module(Scheduler.class).buildPreemptScheduleIrq(k);
  }

  /** The name the machine's tick request carries; IRQ 0's timer_interrupt consumes it. */
  @Override
  public String tickHandler() {
    return "tick_sched_timer";
  }
}
