package kstack.kernel;

import kstack.exec.Exec;
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
      k.add(k.c("run_timer_softirq", "kernel/time/timer.c").params()
          .step("__run_timers(base): expired timer_list timers (none are armed here)", x -> { })
          .retVoid().build());
    }
    if (!k.profile.has(Feature.IRQ_2611)) {
      k.add(k.c("tasklet_action", softirq).params()
          .call("tasklet_action_common(): t->func(t->data) = kstack_demo_tasklet", "kstack_demo_tasklet",
              x -> new long[] {0})
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
    k.profile.module(Scheduler.class).buildPreemptScheduleIrq(k);
  }

  /** irq_enter/irq_exit and __do_softirq from 2.6.32 on (kernel/softirq.c). */
  private static void buildSoftirq(Kernel k, boolean v6, String softirq) {
    String enter = v6 ? "irq_enter_rcu" : "irq_enter";
    String exit = v6 ? "irq_exit_rcu" : "irq_exit";
    k.add(k.c(enter, softirq).params()
        .step((v6 ? "" : "rcu_irq_enter(); ") + "__irq_enter(): preempt_count_add(HARDIRQ_OFFSET)",
            x -> preempt(k, x, HARDIRQ_OFFSET))
        .retVoid().build());
    k.add(k.c(exit, softirq).params()
        .step("preempt_count_sub(HARDIRQ_OFFSET)", x -> preempt(k, x, -HARDIRQ_OFFSET))
        .branchIf("out", "if (!in_interrupt() && local_softirq_pending()) invoke_softirq() [inline]",
            x -> (preemptCount(k, x) & 0xffff00) != 0 || k.softirqPending(x.cpu().id()) == 0)
        .call(k.profile.has(Feature.SOFTIRQ_VIA_DO_SOFTIRQ)
            ? "  do_softirq(): x86 lacks __ARCH_IRQ_EXIT_IRQS_DISABLED"
            : k.profile.has(Feature.SOFTIRQ_ON_OWN_STACK)
            ? "  do_softirq_own_stack(): the arch moves to its IRQ stack"
            : "  __do_softirq(): on the stack irq_exit runs on", softirqEntry(k), null)
        .label("out")
        .retVoid().build());
    RoutineBuilder d = k.c("__do_softirq", softirq).params().locals("pending");
    if (v6) {
      k.add(d.call("handle_softirqs(false)", "handle_softirqs", x -> new long[] {0}).retVoid().build());
      d = k.c("handle_softirqs", softirq).params("ksirqd").locals("pending");
    }
    k.add(d.step("pending = local_softirq_pending(); __local_bh_disable_ip(SOFTIRQ_OFFSET); "
            + "set_softirq_pending(0); local_irq_enable()", x -> {
              x.setLocal("pending", k.softirqPending(x.cpu().id()));
              k.setSoftirqPending(x.cpu().id(), 0);
              preempt(k, x, SOFTIRQ_OFFSET);
              k.arch.irqEnable(x);
            })
        .branchIf("notimer", "TIMER_SOFTIRQ pending?", x -> (x.local("pending") & (1 << TIMER_SOFTIRQ)) == 0)
        .call("  h->action(h) = run_timer_softirq()", "run_timer_softirq", null)
        .label("notimer")
        .branchIf("done", "TASKLET_SOFTIRQ pending?", x -> (x.local("pending") & (1 << TASKLET_SOFTIRQ)) == 0)
        .call("  h->action(h) = tasklet_action()", "tasklet_action", null)
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
    k.add(k.c("exit_to_user_mode_loop", entry).params("regs", "ti_work")
        .label("loop")
        .branchIf("out", "while (ti_work & EXIT_TO_USER_MODE_WORK) {", x -> !k.needResched(k.current(x)))
        .step("  local_irq_enable_exit_to_user(ti_work)", k.arch::irqEnable)
        .call("  _TIF_NEED_RESCHED: schedule()", "schedule", null)
        .step("  local_irq_disable_exit_to_user()", k.arch::irqDisable)
        .jump("loop", "}")
        .label("out")
        .ret("return ti_work", x -> 0).build());
    k.add(k.c("irqentry_exit", entry).params("regs", "state")
        .branchIf("kernel", "if (user_mode(regs))", x -> !k.arch.userModeRegs(k, x.local("regs")))
        .branchIf("done", "  irqentry_exit_to_user_mode(regs) [inline]: work pending?",
            x -> !k.needResched(k.current(x)))
        .call("  exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
            x -> new long[] {x.local("regs"), 0})
        .jump("done", "  return")
        .label("kernel")
        .branchIf("done", "else: irqentry_exit_cond_resched() if CONFIG_PREEMPTION and need_resched",
            x -> !k.profile.config("PREEMPT") || !k.needResched(k.current(x)))
        .call("  preempt_schedule_irq()", "preempt_schedule_irq", null)
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
    k.add(k.c("handle_edge_irq", "kernel/irq/chip.c").params("desc")
        .step("desc->irq_data.chip->irq_ack(&desc->irq_data)", x -> { })
        .call("handle_irq_event(desc)", "handle_irq_event", x -> new long[] {x.local("desc")})
        .retVoid().build());
    k.add(k.c("handle_irq_event", "kernel/irq/handle.c").params("desc")
        .call("ret = handle_irq_event_percpu(desc)", "handle_irq_event_percpu",
            x -> new long[] {x.local("desc")})
        .ret("return ret", Exec::retval).build());
    k.add(k.c("handle_irq_event_percpu", "kernel/irq/handle.c").params("desc")
        .call("retval = __handle_irq_event_percpu(desc)", "__handle_irq_event_percpu",
            x -> new long[] {x.local("desc")})
        .ret("return retval", Exec::retval).build());
    k.add(k.c("__handle_irq_event_percpu", "kernel/irq/handle.c").params("desc")
        .call("for_each_action_of_desc(desc, action): res = action->handler(irq, action->dev_id)",
            "kstack_demo_interrupt", x -> new long[] {x.local("desc"), 0})
        .ret("return retval", Exec::retval).build());
  }

  /**
   * 2.6.32's flow handler calls handle_IRQ_event itself (kernel/irq/chip.c@2.6.32.67:565-623), which
   * runs the action chain (kernel/irq/handle.c@2.6.32.67:370-420); handle_irq_event and its percpu
   * halves arrived later (kernel/irq/handle.c@4.16.13). The demo device asks for IRQF_DISABLED, so
   * handle_IRQ_event leaves interrupts off as every later generation does.
   */
  private static void buildFlow26(Kernel k) {
    k.add(k.c("handle_edge_irq", "kernel/irq/chip.c").params("irq", "desc")
        .step("spin_lock(&desc->lock); kstat_incr_irqs_this_cpu(); desc->chip->ack(irq); "
            + "desc->status |= IRQ_INPROGRESS; action = desc->action", x -> { })
        .call("spin_unlock(&desc->lock); action_ret = handle_IRQ_event(irq, action)",
            "handle_IRQ_event", x -> new long[] {x.local("irq"), 0})
        .step("note_interrupt(); spin_lock; no IRQ_PENDING: leave the loop; "
            + "desc->status &= ~IRQ_INPROGRESS; spin_unlock(&desc->lock)", x -> { })
        .retVoid().build());
    k.add(k.c("handle_IRQ_event", "kernel/irq/handle.c").params("irq", "action")
        .step("action->flags has IRQF_DISABLED: interrupts stay off", x -> { })
        .call("ret = action->handler(irq, action->dev_id)", "kstack_demo_interrupt",
            x -> new long[] {x.local("irq"), 0})
        .ret("action = action->next: none; return retval", Exec::retval).build());
  }

  /** The demo device's handler and its tasklet: the simulator's own module, every generation. */
  static void buildDemoDevice(Kernel k) {
    String demo = "kstack_demo module (the simulator's own)";
    k.add(k.c("kstack_demo_interrupt", demo).params("irq", "dev_id")
        .step("tasklet_schedule(&kstack_demo_tasklet): raise TASKLET_SOFTIRQ", x -> {
          int cpu = x.cpu().id();
          int nr = k.profile.has(Feature.IRQ_2611) ? Softirq2611.TASKLET_SOFTIRQ : TASKLET_SOFTIRQ;
          k.setSoftirqPending(cpu, k.softirqPending(cpu) | (1 << nr));
        })
        .ret("return IRQ_HANDLED", x -> 1).build());
    k.add(k.c("kstack_demo_tasklet", demo).params("data")
        .step("the deferred half of the demo device's interrupt (softirq context)", x ->
            k.timeline.emit(new Event.Note(x.cpu().id(), "kstack_demo_tasklet",
                "softirq work runs with sp 0x" + Long.toHexString(x.sp()))))
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
    var irq = k.c("hrtimer_interrupt", src).params("dev");
    if (v26) {
      runExpired(k, irq.locals("timer").step("now = ktime_get(); for each clock base:", x -> { }))
          .step("tick_program_event(): program the next expiry", x -> { });
      k.add(irq.retVoid().build());
    } else {
      k.add(irq.step("now = hrtimer_update_base(cpu_base)", x -> { })
          .call("__hrtimer_run_queues(cpu_base, now, flags, HRTIMER_ACTIVE_HARD)",
              "__hrtimer_run_queues", x -> new long[] {0, k.now(), 0, 0})
          .step("tick_program_event(): program the next expiry", x -> { })
          .retVoid().build());
      k.add(runExpired(k, k.c("__hrtimer_run_queues", src)
          .params("cpu_base", "now", "flags", "active_mask").locals("timer")).retVoid().build());
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
          Kernel.Timer t = k.expiredTimer(x.cpu().id());
          x.setLocal("timer", t == null ? 0 : timerId(k, t));
        })
        .branchIf("done", "if (!timer) break", x -> x.local("timer") == 0)
        .call("__run_hrtimer(cpu_base, base, timer, &basenow, flags)", "__run_hrtimer",
            x -> new long[] {0, 0, x.local("timer"), 0, 0})
        .jump("loop", "continue")
        .label("done");
  }

  private static void buildRunHrtimer(Kernel k, String src, boolean v6, boolean v26) {
    k.add(k.c("__run_hrtimer", src).params("cpu_base", "base", "timer", "now", "flags")
        .locals("fn")
        .step("fn = timer->function; __remove_hrtimer(timer, base, HRTIMER_STATE_INACTIVE, 0)",
            x -> {
              Kernel.Timer t = timerOf(k, x.local("timer"));
              x.setLocal("fn", k.symbol(t.function()));
              k.removeTimer(t);
            })
        .callVia("restart = fn(timer)", x -> x.local("fn"), x -> new long[] {x.local("timer")}, null)
        .retVoid().build());
    k.add(k.c("hrtimer_wakeup", src).params("timer").locals("task")
        .step("t = container_of(timer, struct hrtimer_sleeper, timer); task = t->task; t->task = NULL",
            x -> {
              long t = x.local("timer");
              x.setLocal("task", k.readPtr(t + Syscalls.SLEEPER_TASK));
              k.writePtr(t + Syscalls.SLEEPER_TASK, 0);
            })
        .branchIf("none", "if (task)", x -> x.local("task") == 0)
        .call("  wake_up_process(task)", "wake_up_process", x -> new long[] {x.local("task")})
        .label("none")
        .ret("return HRTIMER_NORESTART", x -> 0).build());
    // the tick's hrtimer callback: tick_sched_timer until 6.x renamed it tick_nohz_handler
    // (kernel/time/tick-sched.c@2.6.32.67:669, @4.16.13; @6.19:306); tick_sched_handle is 4.x on
    // (@6.19:275); 2.6.32's tick_sched_timer calls update_process_times itself (@2.6.32.67:710)
    String tick = "kernel/time/tick-sched.c";
    var handler = k.c(tickHandler(k), tick).params("timer")
        .step("tick_sched_do_update_jiffies64(ts, now)", x -> { });
    if (v26) {
      handler.call("update_process_times(user_mode(regs))", "update_process_times",
          x -> new long[] {0});
    } else {
      handler.call("tick_sched_handle(ts, regs)", "tick_sched_handle", x -> new long[] {0, 0});
      k.add(k.c("tick_sched_handle", tick).params("ts", "regs")
          .call("update_process_times(user_mode(regs))", "update_process_times", x -> new long[] {0})
          .retVoid().build());
    }
    k.add(handler.ret("hrtimer_forward(timer, now, TICK_NSEC); return HRTIMER_RESTART (re-armed on "
        + "demand)", x -> 1).build());
    String sched = v6 ? "sched_tick" : "scheduler_tick";
    k.add(k.c("update_process_times", "kernel/time/timer.c").params("user_tick")
        .step("account_process_tick(); run_local_timers(): raise_softirq(TIMER_SOFTIRQ)", x -> {
          int cpu = x.cpu().id();
          k.setSoftirqPending(cpu, k.softirqPending(cpu) | (1 << TIMER_SOFTIRQ));
        })
        .call(sched + "()", sched, null)
        .retVoid().build());
    k.add(k.c(sched, "kernel/sched/core.c").params()
        .step("curr->sched_class->task_tick(rq, curr, 0): when others wait on this run queue, "
            + "the slice is over: resched_curr(rq)", x -> {
              long cur = k.current(x);
              int cpu = x.cpu().id();
              if (cur != k.idleTask(cpu) && !k.runQueue(cpu).isEmpty()) {
                k.setNeedResched(cur, true);
              }
            })
        .retVoid().build());
  }

  /** A timer's identity in registers: its sleeper's address, or a per-CPU tick cookie. */
  static long timerId(Kernel k, Kernel.Timer t) {
    return t.sleeper() != 0 ? t.sleeper() : 0x7100 + t.cpu();
  }

  static Kernel.Timer timerOf(Kernel k, long id) {
    for (Kernel.Timer t : k.pendingTimers()) {
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
