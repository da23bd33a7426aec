package kstack.kernel;

import kstack.exec.RoutineBuilder;

/**
 * Timers at 2.6.11, before hrtimers (Feature.NO_HRTIMERS; research §2.7): nanosleep sleeps in
 * schedule_timeout on an on-stack timer_list whose function is process_timeout (2.4's mechanism,
 * Sched24.buildTimeout and Syscalls24.buildNanosleep, with 2.6.11's timer_list and HZ 1000); the
 * local APIC tick's smp_apic_timer_interrupt calls update_process_times, whose run_local_timers
 * raises TIMER_SOFTIRQ, and irq_exit's do_softirq runs run_timer_softirq → __run_timers →
 * process_timeout → wake_up_process. The tick is the CONFIG_SMP one: smp_local_timer_interrupt
 * calls update_process_times only under CONFIG_SMP (apic.c@2.6.11:1111-1140); a UP 2.6.11 kernel
 * calls it from IRQ 0's timer_interrupt, in do_timer_interrupt_hook after do_timer
 * (include/asm-i386/mach-default/do_timer.h@2.6.11:16-20), which this one-CPU profile does not
 * model.
 */
final class Timer2611 {
  private Timer2611() {}

  static final String TIMER = "kernel/timer.c@2.6.11";

  static void build(Kernel k) {
    Sched24.buildTimeout(k, TIMER + ":1073-1113", TIMER + ":1042-1045");
    Syscalls24.buildNanosleep(k, TIMER + ":1159-1190");
    RoutineBuilder b = k.c("run_timer_softirq", TIMER + ":882-888").params("h").locals("timer")
        .step("base = &__get_cpu_var(tvec_bases); if (time_after_eq(jiffies, "
            + "base->timer_jiffies)) __run_timers(base) [static inline]", x -> { })
        .label("loop");
    k.add(Irq24.runExpired(k, b, "  __run_timers: the next expired timer_list of tv1")
        .label("done")
        .retVoid().build());
    k.add(k.c("update_process_times", TIMER + ":813-830").params("user_tick")
        .step("account_user_time() or account_system_time(); run_local_timers(): "
            + "raise_softirq(TIMER_SOFTIRQ)", x -> {
              int cpu = x.cpu().id();
              k.setSoftirqPending(cpu, k.softirqPending(cpu) | (1 << Irq.TIMER_SOFTIRQ));
            })
        .call("rcu_check_callbacks() if rcu_pending(cpu); scheduler_tick()", "scheduler_tick", null)
        .retVoid().build());
    k.add(k.c("scheduler_tick", "kernel/sched.c@2.6.11:2412-2520").params()
        .step("p = current; ... if (!--p->time_slice) { dequeue, recompute, enqueue; "
            + "set_tsk_need_resched(p) } (the model ends the slice whenever another task is "
            + "runnable)", x -> {
              long cur = k.current(x);
              int cpu = x.cpu().id();
              if (cur != k.idleTask(cpu) && !k.runQueue(cpu).isEmpty()) {
                k.setNeedResched(cur, true);
              }
            })
        .retVoid().build());
    k.add(k.c("smp_apic_timer_interrupt", "arch/i386/kernel/apic.c@2.6.11:1161-1190")
        .params("regs")
        .step("irq_stat[cpu].apic_timer_irqs++; ack_APIC_irq()", x -> Irq24.tickConsumed(k, x))
        .call("irq_enter()", "irq_enter", null)
        .call("smp_local_timer_interrupt(regs) [inline]: profile_tick(); (CONFIG_SMP) "
            + "update_process_times(user_mode(regs))", "update_process_times",
            x -> new long[] {k.arch.userModeRegs(k, x.local("regs")) ? 1 : 0})
        .call("irq_exit(): do_softirq() when one is pending", "irq_exit", null)
        .retVoid().build());
  }
}
