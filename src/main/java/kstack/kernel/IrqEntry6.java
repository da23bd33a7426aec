package kstack.kernel;

import kstack.kernel.GenIrq.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.profile.Feature;

/**
 * The generic interrupt code of 6.x: irq_enter_rcu/irq_exit_rcu, __do_softirq → handle_softirqs
 * (kernel/softirq.c@6.19), the tick's hrtimer callback renamed tick_nohz_handler
 * (kernel/time/tick-sched.c@6.19:306) and sched_tick, and the generic entry code's exit work
 * (kernel/entry/common.c@6.19) that the arch's irqentry path calls.
 */
public final class IrqEntry6 extends GenIrq {

  private final SoftirqInvoke invoke;

  public IrqEntry6(SoftirqInvoke invoke) {
    super(invoke, true, "tick_nohz_handler", "sched_tick");
    this.invoke = invoke;
  }

  @Override
  public Set<Feature> features() {
    return featuresWith(Feature.IRQENTRY);
  }

  @Override
  public String toString() {
    return "IrqEntry6(" + invoke + ")";
  }

  /** kernel/entry/common.c: the exit work shared by system calls and interrupts. */
  @Override
  void buildExitWork(Kernel k) {
    String entry = "kernel/entry/common.c";
    k.image.add(k.image.c("exit_to_user_mode_loop", entry).params(L.regs, L.ti_work)
        .label("loop")
        .branchIf("out", "while (ti_work & EXIT_TO_USER_MODE_WORK) {", x -> !k.rq.needResched(k.current(x)))
        .step("  local_irq_enable_exit_to_user(ti_work)", k.arch::irqEnable)
        .call("  _TIF_NEED_RESCHED: schedule()", "schedule", Args.inPlace())
        .step("  local_irq_disable_exit_to_user()", k.arch::irqDisable)
        .jump("loop", "}")
        .label("out")
        .ret("return ti_work", x -> 0).build());
    k.image.add(k.image.c("irqentry_exit", entry).params(L.regs, L.state)
        .branchIf("kernel", "if (user_mode(regs))", x -> !k.arch.userModeRegs(k, x.get(L.regs)))
        .branchIf("done", "  irqentry_exit_to_user_mode(regs) [inline]: work pending?",
            x -> !k.rq.needResched(k.current(x)))
        .call("  exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
            Args.of(x -> x.get(L.regs), x -> 0))
        .jump("done", "  return")
        .label("kernel")
        .branchIf("done", "else: irqentry_exit_cond_resched() if CONFIG_PREEMPTION and need_resched",
            x -> !k.profile.config("PREEMPT") || !k.rq.needResched(k.current(x)))
        .call("  preempt_schedule_irq()", "preempt_schedule_irq", Args.inPlace())
        .label("done")
        .retVoid().build());
  }
}
