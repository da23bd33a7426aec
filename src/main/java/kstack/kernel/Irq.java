package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The generic half of an interrupt: hardirq accounting (kernel/softirq.c), the flow handler and the
 * device's handler (kernel/irq/chip.c, handle.c), hrtimer expiry (kernel/time/hrtimer.c), the
 * scheduler tick, and softirqs run on the way out. The arch's entry code decides which stack all
 * of this runs on. The device is the simulator's kstack_demo, whose handler schedules a tasklet.
 */
final class Irq {
  enum L implements Local {
      action, active_mask, base, cpu_base, data, desc, dev, dev_id, flags, fn, irq, ksirqd, now,
      pending, regs, state, task, ti_work, timer, ts, user_tick
  }

  private Irq() {}

  static final int TIMER_SOFTIRQ = 1;
  static final int TASKLET_SOFTIRQ = 6;
  static final long HARDIRQ_OFFSET = 1 << 16;
  static final long SOFTIRQ_OFFSET = 1 << 8;

  /** Where invoke_softirq() goes: the arch's own-stack hook, or __do_softirq in place. */
  private static String softirqEntry(Kernel k) {
    if (k.profile.has(Feature.SOFTIRQ_VIA_DO_SOFTIRQ)) {
      return "do_softirq";
    }
    return k.profile.has(Feature.SOFTIRQ_ON_OWN_STACK) ? "do_softirq_own_stack" : "__do_softirq";
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.IRQENTRY);
    String softirq = "kernel/softirq.c";
    if (k.profile.has(Feature.IRQ_2611)) {
      Softirq2611.build(k); // irq_exit, do_softirq, __do_softirq and tasklet_action in 2.6.11's words
    } else {
      buildSoftirq(k, v6, softirq);
    }
    if (k.profile.has(Feature.NO_HRTIMERS)) {
      Timer2611.build(k);
    } else {
      k.image.add(k.image.c("run_timer_softirq", "kernel/time/timer.c").params()
          .step("__run_timers(base): expired timer_list timers (none are armed here)", x -> { })
          .retVoid().build());
    }
    if (!k.profile.has(Feature.IRQ_2611)) {
      k.image.add(k.image.c("tasklet_action", softirq).params()
          .call("tasklet_action_common(): t->func(t->data) = kstack_demo_tasklet", "kstack_demo_tasklet",
              Args.of(x -> 0))
          .retVoid().build());
    }
    if (k.profile.has(Feature.IRQ_2611)) {
      buildDemoDevice(k); // 2.6.11's __do_IRQ → handle_IRQ_event calls it (I386Irq2611)
    } else {
      buildFlow(k);
    }
    if (!k.profile.has(Feature.NO_HRTIMERS)) {
      buildHrtimer(k, v6);
    }
    if (v6) {
      buildGenericEntry(k);
    }
    // 2.6 raises PREEMPT_ACTIVE around a plain schedule() (kernel/sched.c@2.6.11:2883-2916,
    // @2.6.32.67:5896-5916); later kernels pass preempt = true to __schedule
    boolean v26 = k.profile.has(Feature.SCHEDULE_SWITCH_INLINE);
    boolean v2611 = k.profile.has(Feature.SCHED_O1_2611);
    k.image.add(k.image.c("preempt_schedule_irq", v2611 ? "kernel/sched.c@2.6.11:2883-2916"
            : v26 ? "kernel/sched.c@2.6.32.67:5896-5916" : "kernel/sched/core.c").params()
        .label("again")
        .step(v26 ? "add_preempt_count(PREEMPT_ACTIVE); local_irq_enable()"
            : "preempt_disable(); local_irq_enable()", k.arch::irqEnable)
        .call(v26 ? "schedule()" : "__schedule(true)", v26 ? "schedule" : "__schedule",
            Args.of(x -> 1).unchecked())
        .step(v26 ? "local_irq_disable(); sub_preempt_count(PREEMPT_ACTIVE)"
            : "local_irq_disable(); sched_preempt_enable_no_resched()", k.arch::irqDisable)
        .branchIf("again", v2611 ? "if (test_thread_flag(TIF_NEED_RESCHED)) goto need_resched"
            : "while (need_resched())", x -> k.rq.needResched(k.current(x)))
        .retVoid().build());
  }

  /** irq_enter/irq_exit and __do_softirq from 2.6.32 on (kernel/softirq.c). */
  private static void buildSoftirq(Kernel k, boolean v6, String softirq) {
    String enter = v6 ? "irq_enter_rcu" : "irq_enter";
    String exit = v6 ? "irq_exit_rcu" : "irq_exit";
    k.image.add(k.image.c(enter, softirq).params()
        .step((v6 ? "" : "rcu_irq_enter(); ") + "__irq_enter(): preempt_count_add(HARDIRQ_OFFSET)",
            x -> preempt(k, x, HARDIRQ_OFFSET))
        .retVoid().build());
    k.image.add(k.image.c(exit, softirq).params()
        .step("preempt_count_sub(HARDIRQ_OFFSET)", x -> preempt(k, x, -HARDIRQ_OFFSET))
        .branchIf("out", "if (!in_interrupt() && local_softirq_pending()) invoke_softirq() [inline]",
            x -> (preemptCount(k, x) & 0xffff00) != 0 || k.timers.softirqPending(x.cpu().id()) == 0)
        .call(k.profile.has(Feature.SOFTIRQ_VIA_DO_SOFTIRQ)
            ? "  do_softirq(): x86 lacks __ARCH_IRQ_EXIT_IRQS_DISABLED"
            : k.profile.has(Feature.SOFTIRQ_ON_OWN_STACK)
            ? "  do_softirq_own_stack(): the arch moves to its IRQ stack"
            : "  __do_softirq(): on the stack irq_exit runs on", softirqEntry(k), Args.inPlace())
        .label("out")
        .retVoid().build());
    RoutineBuilder d = k.image.c("__do_softirq", softirq).params().locals(L.pending);
    if (v6) {
      k.image.add(d.call("handle_softirqs(false)", "handle_softirqs", Args.of(x -> 0)).retVoid().build());
      d = k.image.c("handle_softirqs", softirq).params(L.ksirqd).locals(L.pending);
    }
    k.image.add(d.step("pending = local_softirq_pending(); __local_bh_disable_ip(SOFTIRQ_OFFSET); "
            + "set_softirq_pending(0); local_irq_enable()", x -> {
              x.set(L.pending, k.timers.softirqPending(x.cpu().id()));
              k.timers.setSoftirqPending(x.cpu().id(), 0);
              preempt(k, x, SOFTIRQ_OFFSET);
              k.arch.irqEnable(x);
            })
        .branchIf("notimer", "TIMER_SOFTIRQ pending?", x -> (x.get(L.pending) & (1 << TIMER_SOFTIRQ)) == 0)
        .call("  h->action(h) = run_timer_softirq()", "run_timer_softirq", Args.inPlace())
        .label("notimer")
        .branchIf("done", "TASKLET_SOFTIRQ pending?", x -> (x.get(L.pending) & (1 << TASKLET_SOFTIRQ)) == 0)
        .call("  h->action(h) = tasklet_action()", "tasklet_action", Args.inPlace())
        .label("done")
        .step("local_irq_disable(); __local_bh_enable(SOFTIRQ_OFFSET)", x -> {
          k.arch.irqDisable(x);
          preempt(k, x, -SOFTIRQ_OFFSET);
        })
        .retVoid().build());
  }

  /** kernel/entry/common.c: the exit work shared by system calls and interrupts. */
  private static void buildGenericEntry(Kernel k) {
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

  /** handle_edge_irq → handle_irq_event → handle_irq_event_percpu → the device's handler. */
  private static void buildFlow(Kernel k) {
    buildDemoDevice(k);
    if (k.profile.has(Feature.GENIRQ_MODULE_2632)) {
      buildFlow26(k);
      return;
    }
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

  /**
   * 2.6.32's flow handler calls handle_IRQ_event itself (kernel/irq/chip.c@2.6.32.67:565-623), which
   * runs the action chain (kernel/irq/handle.c@2.6.32.67:370-420); handle_irq_event and its percpu
   * halves arrived later (kernel/irq/handle.c@4.16.13). The demo device asks for IRQF_DISABLED, so
   * handle_IRQ_event leaves interrupts off as every later generation does.
   */
  private static void buildFlow26(Kernel k) {
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

  /** The demo device's handler and its tasklet: the simulator's own module, every generation. */
  static void buildDemoDevice(Kernel k) {
    String demo = "kstack_demo module (the simulator's own)";
    k.image.add(k.image.c("kstack_demo_interrupt", demo).params(L.irq, L.dev_id)
        .step("tasklet_schedule(&kstack_demo_tasklet): raise TASKLET_SOFTIRQ", x -> {
          int cpu = x.cpu().id();
          int nr = k.profile.has(Feature.IRQ_2611) ? Softirq2611.TASKLET_SOFTIRQ : TASKLET_SOFTIRQ;
          k.timers.setSoftirqPending(cpu, k.timers.softirqPending(cpu) | (1 << nr));
        })
        .ret("return IRQ_HANDLED", x -> 1).build());
    k.image.add(k.image.c("kstack_demo_tasklet", demo).params(L.data)
        .step("the deferred half of the demo device's interrupt (softirq context)", x ->
            k.timeline.emit(new Event.SoftirqWork(x.cpu().id(), "sp", x.sp())))
        .retVoid().build());
  }

  /**
   * hrtimer_interrupt → __hrtimer_run_queues → __run_hrtimer → the timer's function. 2.6.32's
   * hrtimer_interrupt runs the expired timers in its own loop (kernel/hrtimer.c@2.6.32.67:1249-1309;
   * __hrtimer_run_queues is 4.x: kernel/time/hrtimer.c@4.16.13:1379,1469).
   */
  private static void buildHrtimer(Kernel k, boolean v6) {
    boolean v26 = k.profile.has(Feature.THREAD_INFO_AT_BASE);
    String src = v26 ? "kernel/hrtimer.c" : "kernel/time/hrtimer.c";
    var irq = k.image.c("hrtimer_interrupt", src).params(L.dev);
    if (v26) {
      runExpired(k, irq.locals(L.timer).step("now = ktime_get(); for each clock base:", x -> { }))
          .step("tick_program_event(): program the next expiry", x -> { });
      k.image.add(irq.retVoid().build());
    } else {
      k.image.add(irq.step("now = hrtimer_update_base(cpu_base)", x -> { })
          .call("__hrtimer_run_queues(cpu_base, now, flags, HRTIMER_ACTIVE_HARD)",
              "__hrtimer_run_queues", Args.of(x -> 0, x -> k.timers.now(), x -> 0, x -> 0))
          .step("tick_program_event(): program the next expiry", x -> { })
          .retVoid().build());
      k.image.add(runExpired(k, k.image.c("__hrtimer_run_queues", src)
          .params(L.cpu_base, L.now, L.flags, L.active_mask).locals(L.timer)).retVoid().build());
    }
    buildRunHrtimer(k, src, v6, v26);
  }

  /** The tick's hrtimer callback in this generation (kernel/time/tick-sched.c@6.19:306). */
  static String tickHandler(Kernel k) {
    return k.profile.has(Feature.IRQENTRY) ? "tick_nohz_handler" : "tick_sched_timer";
  }

  /** The loop over the expired timers: __hrtimer_run_queues's, or 2.6.32 hrtimer_interrupt's. */
  private static kstack.exec.RoutineBuilder runExpired(Kernel k, kstack.exec.RoutineBuilder b) {
    return b
        .label("loop")
        .step("timer = the earliest expired hrtimer of this CPU", x -> {
          Timers.Timer t = k.timers.expiredTimer(x.cpu().id());
          x.set(L.timer, t == null ? 0 : timerId(k, t));
        })
        .branchIf("done", "if (!timer) break", x -> x.get(L.timer) == 0)
        .call("__run_hrtimer(cpu_base, base, timer, &basenow, flags)", "__run_hrtimer",
            Args.of(x -> 0, x -> 0, x -> x.get(L.timer), x -> 0, x -> 0))
        .jump("loop", "continue")
        .label("done");
  }

  private static void buildRunHrtimer(Kernel k, String src, boolean v6, boolean v26) {
    k.image.add(k.image.c("__run_hrtimer", src).params(L.cpu_base, L.base, L.timer, L.now, L.flags)
        .locals(L.fn)
        .step("fn = timer->function; __remove_hrtimer(timer, base, HRTIMER_STATE_INACTIVE, 0)",
            x -> {
              Timers.Timer t = timerOf(k, x.get(L.timer));
              x.set(L.fn, k.image.symbol(t.function()));
              k.timers.removeTimer(t);
            })
        .callVia("restart = fn(timer)", x -> x.get(L.fn), Args.of(x -> x.get(L.timer)), null)
        .retVoid().build());
    k.image.add(k.image.c("hrtimer_wakeup", src).params(L.timer).locals(L.task)
        .step("t = container_of(timer, struct hrtimer_sleeper, timer); task = t->task; t->task = NULL",
            x -> {
              long t = x.get(L.timer);
              x.set(L.task, k.readPtr(t + Syscalls.SLEEPER_TASK));
              k.writePtr(t + Syscalls.SLEEPER_TASK, 0);
            })
        .branchIf("none", "if (task)", x -> x.get(L.task) == 0)
        .call("  wake_up_process(task)", "wake_up_process", Args.of(x -> x.get(L.task)))
        .label("none")
        .ret("return HRTIMER_NORESTART", x -> 0).build());
    // the tick's hrtimer callback: tick_sched_timer until 6.x renamed it tick_nohz_handler
    // (kernel/time/tick-sched.c@2.6.32.67:669, @4.16.13; @6.19:306); tick_sched_handle is 4.x on
    // (@6.19:275); 2.6.32's tick_sched_timer calls update_process_times itself (@2.6.32.67:710)
    String tick = "kernel/time/tick-sched.c";
    var handler = k.image.c(tickHandler(k), tick).params(L.timer)
        .step("tick_sched_do_update_jiffies64(ts, now)", x -> { });
    if (v26) {
      handler.call("update_process_times(user_mode(regs))", "update_process_times",
          Args.of(x -> 0));
    } else {
      handler.call("tick_sched_handle(ts, regs)", "tick_sched_handle", Args.of(x -> 0, x -> 0));
      k.image.add(k.image.c("tick_sched_handle", tick).params(L.ts, L.regs)
          .call("update_process_times(user_mode(regs))", "update_process_times", Args.of(x -> 0))
          .retVoid().build());
    }
    k.image.add(handler.ret("hrtimer_forward(timer, now, TICK_NSEC); return HRTIMER_RESTART (re-armed on "
        + "demand)", x -> 1).build());
    String sched = v6 ? "sched_tick" : "scheduler_tick";
    k.image.add(k.image.c("update_process_times", "kernel/time/timer.c").params(L.user_tick)
        .step("account_process_tick(); run_local_timers(): raise_softirq(TIMER_SOFTIRQ)", x -> {
          int cpu = x.cpu().id();
          k.timers.setSoftirqPending(cpu, k.timers.softirqPending(cpu) | (1 << TIMER_SOFTIRQ));
        })
        .call(sched + "()", sched, Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c(sched, "kernel/sched/core.c").params()
        .step("curr->sched_class->task_tick(rq, curr, 0): when others wait on this run queue, "
            + "the slice is over: resched_curr(rq)", x -> {
              long cur = k.current(x);
              int cpu = x.cpu().id();
              if (cur != k.rq.idleTask(cpu) && !k.rq.runQueue(cpu).isEmpty()) {
                k.rq.setNeedResched(cur, true);
              }
            })
        .retVoid().build());
  }

  /** A timer's identity in registers: its sleeper's address, or a per-CPU tick cookie. */
  static long timerId(Kernel k, Timers.Timer t) {
    return t.sleeper() != 0 ? t.sleeper() : 0x7100 + t.cpu();
  }

  static Timers.Timer timerOf(Kernel k, long id) {
    for (Timers.Timer t : k.timers.pendingTimers()) {
      if (timerId(k, t) == id) {
        return t;
      }
    }
    throw new IllegalStateException("no pending hrtimer " + Long.toHexString(id));
  }

  static long preemptCount(Kernel k, Exec x) {
    return k.mem.read(k.arch.preemptCountAddress(k, x.cpu().id()), 4);
  }

  static void preempt(Kernel k, Exec x, long delta) {
    long a = k.arch.preemptCountAddress(k, x.cpu().id());
    k.mem.write(a, 4, k.mem.read(a, 4) + delta);
  }
}
