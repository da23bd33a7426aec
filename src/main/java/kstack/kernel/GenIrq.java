package kstack.kernel;

import java.util.EnumSet;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The generic interrupt code from 2.6.32 on: irq_enter/irq_exit and __do_softirq
 * (kernel/softirq.c), handle_edge_irq and the action chain (kernel/irq/chip.c, handle.c),
 * hrtimer_interrupt → __run_hrtimer → the tick's hrtimer (kernel/time/hrtimer.c, tick-sched.c) and
 * the scheduler tick. The device is the simulator's kstack_demo, whose handler schedules a tasklet.
 * Generations change names (6.x's irq_enter_rcu, handle_softirqs, tick_nohz_handler, sched_tick),
 * 2.6.32 its flow handler and hrtimer loop (GenIrq2632), 6.x adds the generic entry's exit work
 * (IrqEntry6); where irq_exit runs the softirqs is the profile's pick ({@link SoftirqInvoke}).
 */
abstract class GenIrq implements IrqCore {
  enum L implements Local {
    action, active_mask, base, cpu_base, desc, dev, flags, fn, irq, ksirqd, now, pending, regs,
    state, task, ti_work, timer, ts, user_tick
  }

  static final String SOFTIRQ = "kernel/softirq.c";

  private final SoftirqInvoke invoke;
  private final boolean rcuNames;
  private final String tickHandler;
  private final String schedTick;

  /**
   * @param rcuNames irq_enter_rcu/irq_exit_rcu and handle_softirqs (5.9, 6.x) in place of irq_enter,
   *     irq_exit and the one-piece __do_softirq
   * @param tickHandler the tick's hrtimer callback (kernel/time/tick-sched.c)
   * @param schedTick the scheduler tick update_process_times calls
   */
  GenIrq(SoftirqInvoke invoke, boolean rcuNames, String tickHandler, String schedTick) {
    this.invoke = invoke;
    this.rcuNames = rcuNames;
    this.tickHandler = tickHandler;
    this.schedTick = schedTick;
  }

  /** The features of the generation's interrupt code, and of its way of invoking softirqs. */
  Set<Feature> featuresWith(Feature... own) {
    EnumSet<Feature> all = EnumSet.noneOf(Feature.class);
    all.addAll(Set.of(own));
    all.addAll(invoke.features());
    return all;
  }

  @Override
  public String tickHandler() {
    return tickHandler;
  }

  @Override
  public void build(Kernel k) {
    buildSoftirq(k);
    k.image.add(k.image.c("run_timer_softirq", "kernel/time/timer.c").params()
        .step("__run_timers(base): expired timer_list timers (none are armed here)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("tasklet_action", SOFTIRQ).params()
        .call("tasklet_action_common(): t->func(t->data) = kstack_demo_tasklet", "kstack_demo_tasklet",
            Args.of(x -> 0))
        .retVoid().build());
    Irq.buildDemoDevice(k, Irq.TASKLET_SOFTIRQ);
    buildFlow(k);
    buildHrtimer(k);
    buildExitWork(k);
    k.profile.module(Scheduler.class).buildPreemptScheduleIrq(k);
  }

  /** irq_enter/irq_exit and __do_softirq (kernel/softirq.c). */
  private void buildSoftirq(Kernel k) {
    k.image.add(k.image.c(rcuNames ? "irq_enter_rcu" : "irq_enter", SOFTIRQ).params()
        .step((rcuNames ? "" : "rcu_irq_enter(); ") + "__irq_enter(): preempt_count_add(HARDIRQ_OFFSET)",
            x -> Irq.preempt(k, x, Irq.HARDIRQ_OFFSET))
        .retVoid().build());
    k.image.add(k.image.c(rcuNames ? "irq_exit_rcu" : "irq_exit", SOFTIRQ).params()
        .step("preempt_count_sub(HARDIRQ_OFFSET)", x -> Irq.preempt(k, x, -Irq.HARDIRQ_OFFSET))
        .branchIf("out", "if (!in_interrupt() && local_softirq_pending()) invoke_softirq() [inline]",
            x -> (Irq.preemptCount(k, x) & 0xffff00) != 0 || k.timers.softirqPending(x.cpu().id()) == 0)
        .call(invoke.text, invoke.target, Args.inPlace())
        .label("out")
        .retVoid().build());
    RoutineBuilder d = k.image.c("__do_softirq", SOFTIRQ).params().locals(L.pending);
    if (rcuNames) {
      k.image.add(d.call("handle_softirqs(false)", "handle_softirqs", Args.of(x -> 0)).retVoid().build());
      d = k.image.c("handle_softirqs", SOFTIRQ).params(L.ksirqd).locals(L.pending);
    }
    k.image.add(d.step("pending = local_softirq_pending(); __local_bh_disable_ip(SOFTIRQ_OFFSET); "
            + "set_softirq_pending(0); local_irq_enable()", x -> {
              x.set(L.pending, k.timers.softirqPending(x.cpu().id()));
              k.timers.setSoftirqPending(x.cpu().id(), 0);
              Irq.preempt(k, x, Irq.SOFTIRQ_OFFSET);
              k.arch.irqEnable(x);
            })
        .branchIf("notimer", "TIMER_SOFTIRQ pending?",
            x -> (x.get(L.pending) & (1 << Irq.TIMER_SOFTIRQ)) == 0)
        .call("  h->action(h) = run_timer_softirq()", "run_timer_softirq", Args.inPlace())
        .label("notimer")
        .branchIf("done", "TASKLET_SOFTIRQ pending?",
            x -> (x.get(L.pending) & (1 << Irq.TASKLET_SOFTIRQ)) == 0)
        .call("  h->action(h) = tasklet_action()", "tasklet_action", Args.inPlace())
        .label("done")
        .step("local_irq_disable(); __local_bh_enable(SOFTIRQ_OFFSET)", x -> {
          k.arch.irqDisable(x);
          Irq.preempt(k, x, -Irq.SOFTIRQ_OFFSET);
        })
        .retVoid().build());
  }

  /** handle_edge_irq → handle_irq_event → handle_irq_event_percpu → the device's handler. */
  void buildFlow(Kernel k) {
    // void handle_edge_irq(struct irq_desc *desc): kernel/irq/chip.c@4.16.13:749, @6.19:823
    k.image.add(k.image.c("handle_edge_irq", "kernel/irq/chip.c").params(L.desc)
        .step("desc->irq_data.chip->irq_ack(&desc->irq_data)", x -> { })
        .call("handle_irq_event(desc)", "handle_irq_event", Args.of(x -> x.get(L.desc)))
        .retVoid().build());
    k.image.add(k.image.c("handle_irq_event", "kernel/irq/handle.c").params(L.desc)
        .call("ret = handle_irq_event_percpu(desc)", "handle_irq_event_percpu",
            Args.of(x -> x.get(L.desc)))
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("handle_irq_event_percpu", "kernel/irq/handle.c").params(L.desc)
        .call("retval = __handle_irq_event_percpu(desc)", "__handle_irq_event_percpu",
            Args.of(x -> x.get(L.desc)))
        .ret("return retval", Exec::retval).build());
    k.image.add(k.image.c("__handle_irq_event_percpu", "kernel/irq/handle.c").params(L.desc)
        .call("for_each_action_of_desc(desc, action): res = action->handler(irq, action->dev_id)",
            "kstack_demo_interrupt", Args.of(x -> x.get(L.desc), x -> 0))
        .ret("return retval", Exec::retval).build());
  }

  /** Where the hrtimer code lives: kernel/time/hrtimer.c from 2.6.37 on. */
  String hrtimerSrc() {
    return "kernel/time/hrtimer.c";
  }

  /**
   * hrtimer_interrupt → __hrtimer_run_queues → __run_hrtimer → the timer's function
   * (__hrtimer_run_queues is 4.x: kernel/time/hrtimer.c@4.16.13:1379,1469).
   */
  void buildHrtimerInterrupt(Kernel k, String src) {
    k.image.add(k.image.c("hrtimer_interrupt", src).params(L.dev)
        .step("now = hrtimer_update_base(cpu_base)", x -> { })
        .call("__hrtimer_run_queues(cpu_base, now, flags, HRTIMER_ACTIVE_HARD)",
            "__hrtimer_run_queues", Args.of(x -> 0, x -> k.timers.now(), x -> 0, x -> 0))
        .step("tick_program_event(): program the next expiry", x -> { })
        .retVoid().build());
    k.image.add(runExpired(k, k.image.c("__hrtimer_run_queues", src)
        .params(L.cpu_base, L.now, L.flags, L.active_mask).locals(L.timer)).retVoid().build());
  }

  private void buildHrtimer(Kernel k) {
    String src = hrtimerSrc();
    buildHrtimerInterrupt(k, src);
    k.image.add(k.image.c("__run_hrtimer", src).params(L.cpu_base, L.base, L.timer, L.now, L.flags)
        .locals(L.fn)
        .step("fn = timer->function; __remove_hrtimer(timer, base, HRTIMER_STATE_INACTIVE, 0)",
            x -> {
              Timers.Timer t = Irq.timerOf(k, x.get(L.timer));
              x.set(L.fn, k.image.symbol(t.function()));
              k.timers.removeTimer(t);
            })
        .callVia("restart = fn(timer)", x -> x.get(L.fn), Args.of(x -> x.get(L.timer)), null)
        .retVoid().build());
    k.image.add(k.image.c("hrtimer_wakeup", src).params(L.timer).locals(L.task)
        .step("t = container_of(timer, struct hrtimer_sleeper, timer); task = t->task; t->task = NULL",
            x -> {
              long t = x.get(L.timer);
              x.set(L.task, k.readPtr(t + HrtimerSleep.SLEEPER_TASK));
              k.writePtr(t + HrtimerSleep.SLEEPER_TASK, 0);
            })
        .branchIf("none", "if (task)", x -> x.get(L.task) == 0)
        .call("  wake_up_process(task)", "wake_up_process", Args.of(x -> x.get(L.task)))
        .label("none")
        .ret("return HRTIMER_NORESTART", x -> 0).build());
    k.image.add(buildTickHandler(k, k.image.c(tickHandler, TICK).params(L.timer)
            .step("tick_sched_do_update_jiffies64(ts, now)", x -> { }))
        .ret("hrtimer_forward(timer, now, TICK_NSEC); return HRTIMER_RESTART (re-armed on "
            + "demand)", x -> 1).build());
    k.image.add(k.image.c("update_process_times", "kernel/time/timer.c").params(L.user_tick)
        .step("account_process_tick(); run_local_timers(): raise_softirq(TIMER_SOFTIRQ)", x -> {
          int cpu = x.cpu().id();
          k.timers.setSoftirqPending(cpu, k.timers.softirqPending(cpu) | (1 << Irq.TIMER_SOFTIRQ));
        })
        .call(schedTick + "()", schedTick, Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c(schedTick, "kernel/sched/core.c").params()
        .step("curr->sched_class->task_tick(rq, curr, 0): when others wait on this run queue, "
            + "the slice is over: resched_curr(rq)", x -> SchedCommon.tick(k, x))
        .retVoid().build());
  }

  static final String TICK = "kernel/time/tick-sched.c";

  /**
   * The tick's hrtimer callback calls tick_sched_handle (4.x on, tick-sched.c@6.19:275), which is
   * added first; it calls update_process_times. Returns the handler, to be finished by the caller.
   */
  RoutineBuilder buildTickHandler(Kernel k, RoutineBuilder handler) {
    handler.call("tick_sched_handle(ts, regs)", "tick_sched_handle", Args.of(x -> 0, x -> 0));
    k.image.add(k.image.c("tick_sched_handle", TICK).params(L.ts, L.regs)
        .call("update_process_times(user_mode(regs))", "update_process_times", Args.of(x -> 0))
        .retVoid().build());
    return handler;
  }

  /** The loop over the expired timers: __hrtimer_run_queues's, or 2.6.32 hrtimer_interrupt's. */
  static RoutineBuilder runExpired(Kernel k, RoutineBuilder b) {
    return b
        .label("loop")
        .step("timer = the earliest expired hrtimer of this CPU", x -> {
          Timers.Timer t = k.timers.expiredTimer(x.cpu().id());
          x.set(L.timer, t == null ? 0 : Irq.timerId(k, t));
        })
        .branchIf("done", "if (!timer) break", x -> x.get(L.timer) == 0)
        .call("__run_hrtimer(cpu_base, base, timer, &basenow, flags)", "__run_hrtimer",
            Args.of(x -> 0, x -> 0, x -> x.get(L.timer), x -> 0, x -> 0))
        .jump("loop", "continue")
        .label("done");
  }

  /** The exit work the generic interrupt code adds after the tick: none before 6.x's entry code. */
  void buildExitWork(Kernel k) {
  }
}
