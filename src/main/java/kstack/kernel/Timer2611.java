package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * Timers at 2.6.11, before hrtimers (Feature.NO_HRTIMERS; research §2.7): nanosleep sleeps in
 * schedule_timeout on an on-stack timer_list whose function is process_timeout (2.4's mechanism,
 * Sched24.buildTimeout and Syscalls24.buildNanosleep, with 2.6.11's timer_list and HZ 1000); the
 * tick is the uniprocessor one (Feature.IRQ_2611): IRQ 0's timer_interrupt, whose inline
 * do_timer_interrupt_hook calls do_timer and then, without CONFIG_SMP, update_process_times
 * (include/asm-i386/mach-default/do_timer.h@2.6.11:16-32; arch/i386/kernel/time.c@2.6.11:221-300);
 * its run_local_timers raises TIMER_SOFTIRQ, and irq_exit's do_softirq runs run_timer_softirq →
 * __run_timers → process_timeout → wake_up_process.
 */
final class Timer2611 {
  enum L implements Local { dev_id, h, irq, regs, timer, user_tick }

  private Timer2611() {}

  static final String TIMER = "kernel/timer.c@2.6.11";

  static void build(Kernel k) {
    Sched24.buildTimeout(k, TIMER + ":1073-1113", TIMER + ":1042-1045");
    Syscalls24.buildNanosleep(k, TIMER + ":1159-1190");
    RoutineBuilder b = k.image.c("run_timer_softirq", TIMER + ":882-888").params(L.h).locals(L.timer)
        .step("base = &__get_cpu_var(tvec_bases); if (time_after_eq(jiffies, "
            + "base->timer_jiffies)) __run_timers(base) [static inline]", x -> { })
        .label("loop");
    k.image.add(Irq24.runExpired(k, b, "  __run_timers: the next expired timer_list of tv1")
        .label("done")
        .retVoid().build());
    k.image.add(k.image.c("update_process_times", TIMER + ":813-830").params(L.user_tick)
        .step("account_user_time() or account_system_time(); run_local_timers(): "
            + "raise_softirq(TIMER_SOFTIRQ)", x -> {
              int cpu = x.cpu().id();
              k.timers.setSoftirqPending(cpu, k.timers.softirqPending(cpu) | (1 << Irq.TIMER_SOFTIRQ));
            })
        .call("rcu_check_callbacks() if rcu_pending(cpu); scheduler_tick()", "scheduler_tick", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("scheduler_tick", "kernel/sched.c@2.6.11:2412-2520").params()
        .step("p = current; ... if (!--p->time_slice) { dequeue, recompute, enqueue; "
            + "set_tsk_need_resched(p) } (the model ends the slice whenever another task is "
            + "runnable)", x -> {
              long cur = k.current(x);
              int cpu = x.cpu().id();
              if (cur != k.rq.idleTask(cpu) && !k.rq.runQueue(cpu).isEmpty()) {
                k.rq.setNeedResched(cur, true);
              }
            })
        .retVoid().build());
    String time = "arch/i386/kernel/time.c@2.6.11";
    k.image.add(k.image.c("timer_interrupt", time + ":285-300").params(L.irq, L.dev_id, L.regs)
        .step("write_seqlock(&xtime_lock); cur_timer->mark_offset()", x -> Irq24.tickConsumed(k, x))
        .call("do_timer_interrupt(irq, NULL, regs) [static inline, time.c@2.6.11:221-240]: "
            + "do_timer_interrupt_hook(regs) [static inline, do_timer.h@2.6.11:16-20]: do_timer(regs)",
            "do_timer", Args.of(x -> x.get(L.regs)))
        .call("  (!CONFIG_SMP) update_process_times(user_mode(regs))", "update_process_times",
            Args.of(x -> k.arch.userModeRegs(k, x.get(L.regs)) ? 1 : 0))
        .step("  using_apic_timer is 0 (no local APIC timer here): smp_local_timer_interrupt(regs) "
            + "[inline] only profile_tick()s on UP; no RTC update due; write_sequnlock(&xtime_lock)",
            x -> { })
        .ret("return IRQ_HANDLED", x -> 1).build());
    k.image.add(k.image.c("do_timer", TIMER + ":920-924").params(L.regs)
        .step("jiffies_64++; update_times(): wall time and load average", x -> { })
        .retVoid().build());
  }
}
