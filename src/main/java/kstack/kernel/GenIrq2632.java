package kstack.kernel;

import kstack.kernel.GenIrq.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The generic interrupt code of 2.6.32: the flow handler calls handle_IRQ_event itself
 * (kernel/irq/chip.c@2.6.32.67:565-623), which runs the action chain
 * (kernel/irq/handle.c@2.6.32.67:370-420; handle_irq_event and its percpu halves arrived later,
 * kernel/irq/handle.c@4.16.13); hrtimer_interrupt runs the expired timers in its own loop
 * (kernel/hrtimer.c@2.6.32.67:1249-1309) and tick_sched_timer calls update_process_times itself
 * (kernel/time/tick-sched.c@2.6.32.67:669,710). x86 runs softirqs through do_softirq.
 */
public final class GenIrq2632 extends GenIrq {

  public GenIrq2632() {
    super(SoftirqInvoke.DO_SOFTIRQ, false, "tick_sched_timer", "scheduler_tick");
  }

  @Override
  public Set<Feature> features() {
    return featuresWith(Feature.GENIRQ_MODULE_2632);
  }

  /**
   * The demo device asks for IRQF_DISABLED, so handle_IRQ_event leaves interrupts off as every
   * later generation does.
   */
  @Override
  void buildFlow(Kernel k) {
    // handle_edge_irq(unsigned int irq, struct irq_desc *desc): kernel/irq/chip.c@2.6.32.67:565
    k.image.add(k.image.c("handle_edge_irq", "kernel/irq/chip.c").params(L.irq, L.desc)
        .step("spin_lock(&desc->lock); kstat_incr_irqs_this_cpu(); desc->chip->ack(irq); "
            + "desc->status |= IRQ_INPROGRESS; action = desc->action", x -> { })
        .call("spin_unlock(&desc->lock); action_ret = handle_IRQ_event(irq, action)",
            "handle_IRQ_event", Args.of(x -> x.get(L.irq), x -> 0))
        .step("note_interrupt(); spin_lock; no IRQ_PENDING: leave the loop; "
            + "desc->status &= ~IRQ_INPROGRESS; spin_unlock(&desc->lock)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("handle_IRQ_event", "kernel/irq/handle.c").params(L.irq, L.action)
        .step("action->flags has IRQF_DISABLED: interrupts stay off", x -> { })
        .call("ret = action->handler(irq, action->dev_id)", "kstack_demo_interrupt",
            Args.of(x -> x.get(L.irq), x -> 0))
        .ret("action = action->next: none; return retval", Exec::retval).build());
  }

  @Override
  String hrtimerSrc() {
    return "kernel/hrtimer.c";
  }

  @Override
  void buildHrtimerInterrupt(Kernel k, String src) {
    RoutineBuilder irq = k.image.c("hrtimer_interrupt", src).params(L.dev);
    runExpired(k, irq.locals(L.timer).step("now = ktime_get(); for each clock base:", x -> { }))
        .step("tick_program_event(): program the next expiry", x -> { });
    k.image.add(irq.retVoid().build());
  }

  @Override
  RoutineBuilder buildTickHandler(Kernel k, RoutineBuilder handler) {
    return handler.call("update_process_times(user_mode(regs))", "update_process_times",
        Args.of(x -> 0));
  }
}
