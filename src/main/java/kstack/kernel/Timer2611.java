package kstack.kernel;

import kstack.kernel.TimerList.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * Timers at 2.6.11, before hrtimers (Feature.NO_HRTIMERS; research §2.7): nanosleep sleeps in
 * schedule_timeout on an on-stack timer_list whose function is process_timeout (2.4's mechanism,
 * TimerList, with 2.6.11's timer_list and HZ 1000: include/linux/timer.h@2.6.11:11-21, entry,
 * expires, lock (empty on UP), magic, function, data, base; include/asm-i386/param.h@2.6.11:5); the
 * tick is the uniprocessor one (Feature.IRQ_2611): IRQ 0's timer_interrupt, whose inline
 * do_timer_interrupt_hook calls do_timer and then, without CONFIG_SMP, update_process_times
 * (include/asm-i386/mach-default/do_timer.h@2.6.11:16-32; arch/i386/kernel/time.c@2.6.11:221-300);
 * its run_local_timers raises TIMER_SOFTIRQ, and irq_exit's do_softirq runs run_timer_softirq →
 * __run_timers → process_timeout → wake_up_process.
 */
public final class Timer2611 implements Nanosleep {

  static final String TIMER = "kernel/timer.c@2.6.11";
  static final TimerList.Layout LAYOUT = new TimerList.Layout(28, 20, 16, 1_000_000L);

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.NO_HRTIMERS);
  }

  /** Built with the timer list, where the interrupt code adds it ({@link #build}). */
  @Override
  public void buildNanosleep(Kernel k) {
  }

  /**
   * The timer list, the tick and nanosleep, where Irq2611 adds them: schedule_timeout,
   * process_timeout and sys_nanosleep first, then the timer softirq and IRQ 0's chain.
   */
  static void build(Kernel k) {
    TimerList.buildTimeout(k, LAYOUT, TIMER + ":1073-1113", TIMER + ":1042-1045");
    TimerList.buildNanosleep(k, LAYOUT, TIMER + ":1159-1190");
    RoutineBuilder b = k.image.c("run_timer_softirq", TIMER + ":882-888").params(L.h).locals(L.timer)
        .step("base = &__get_cpu_var(tvec_bases); if (time_after_eq(jiffies, "
            + "base->timer_jiffies)) __run_timers(base) [static inline]", x -> { })
        .label("loop");
    k.image.add(TimerList.runExpired(k, LAYOUT, b, "  __run_timers: the next expired timer_list of tv1")
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
            + "runnable)", x -> SchedCommon.tick(k, x))
        .retVoid().build());
    String time = "arch/i386/kernel/time.c@2.6.11";
    k.image.add(k.image.c("timer_interrupt", time + ":285-300").params(L.irq, L.dev_id, L.regs)
        .step("write_seqlock(&xtime_lock); cur_timer->mark_offset()", x -> TimerList.tickConsumed(k, x))
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

  /**
   * sys_clock_nanosleep → do_clock_nanosleep, which arms an on-stack timer_list whose function is
   * nanosleep_wake_up and calls schedule() in a loop (kernel/posix-timers.c@2.6.11:1272-1277,
   * 1385-1519).
   */
  @Override
  public void buildClockNanosleep(Kernel k) {
    String src = "kernel/posix-timers.c@2.6.11:";
    k.image.add(Syscalls.entry(k, "clock_nanosleep", src + "1385-1419", L.which_clock, L.flags, L.rqtp,
            L.rmtp)
        .localArea(L.t, 8)
        .step("if ((unsigned) which_clock >= MAX_CLOCKS || !posix_clocks[which_clock].res) "
            + "return -EINVAL; copy_from_user(&t, rqtp, sizeof (struct timespec)); tv_nsec < "
            + "NSEC_PER_SEC, tv_sec >= 0", x -> {
              x.write(x.addr(L.t), x.read(x.get(L.rqtp)));
              x.write(x.addr(L.t) + 4, x.read(x.get(L.rqtp) + 4));
            })
        .call("posix_clocks[which_clock].nsleep is NULL (realtime and monotonic): ret = "
                + "do_clock_nanosleep(which_clock, flags, &t)", "do_clock_nanosleep",
            Args.of(x -> x.get(L.which_clock), x -> x.get(L.flags), x -> x.addr(L.t)))
        .ret("restart_block->arg1 = (unsigned long)rmtp; return ret", Exec::retval).build());
    int data = LAYOUT.data();
    int function = LAYOUT.function();
    long jiffy = LAYOUT.jiffyNs();
    k.image.add(k.image.c("do_clock_nanosleep", src + "1420-1519").params(L.which_clock, L.flags, L.tsave)
        .locals(L.rq_time, L.left).localArea(L.new_timer, LAYOUT.size())
        .step("init_timer(&new_timer); new_timer.expires = 0; new_timer.data = (unsigned long) "
            + "current; new_timer.function = nanosleep_wake_up; abs = flags & TIMER_ABSTIME", x -> {
              long t = x.addr(L.new_timer);
              x.write(t + TimerList.EXPIRES, 0);
              x.write(t + data, k.current(x));
              x.write(t + function, k.image.symbol("nanosleep_wake_up"));
            })
        .step("t = *tsave; adjust_abs_time(): rq_time = jiffies + timespec_to_jiffies(&t); "
            + "rq_time += (t.tv_sec || t.tv_nsec)", x -> {
              long ns = x.read(x.get(L.tsave)) * 1_000_000_000L + x.read(x.get(L.tsave) + 4);
              x.set(L.rq_time, TimerList.jiffies(k, LAYOUT) + (ns + jiffy - 1) / jiffy + (ns != 0 ? 1 : 0));
            })
        .label("loop")
        .step("left = rq_time - get_jiffies_64()",
            x -> x.set(L.left, x.get(L.rq_time) - TimerList.jiffies(k, LAYOUT)))
        .branchIf("done", "if (left < (s64)0) break", x -> x.signed(x.get(L.left)) < 0)
        .step("new_timer.expires = jiffies + left; __set_current_state(TASK_INTERRUPTIBLE); "
            + "add_timer(&new_timer)", x -> {
              long t = x.addr(L.new_timer);
              long cur = k.current(x);
              x.write(t + TimerList.EXPIRES, TimerList.jiffies(k, LAYOUT) + x.get(L.left));
              k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "clock_nanosleep for "
                  + x.get(L.left) + " jiffies"));
              k.timers.addTimer(x.read(t + TimerList.EXPIRES) * jiffy, cur, t, "nanosleep_wake_up");
            })
        .call("schedule()", "schedule", Args.inPlace())
        .step("del_timer_sync(&new_timer); left = rq_time - get_jiffies_64()", x -> {
          for (Timers.Timer tm : k.timers.pendingTimers()) {
            if (tm.sleeper() == x.addr(L.new_timer)) {
              k.timers.removeTimer(tm);
            }
          }
          x.set(L.left, x.get(L.rq_time) - TimerList.jiffies(k, LAYOUT));
        })
        .branchIf("loop", "while (left > (s64)0 && !test_thread_flag(TIF_SIGPENDING))",
            x -> x.signed(x.get(L.left)) > 0)
        .label("done")
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c("nanosleep_wake_up", src + "1272-1277").params(L.__data)
        .call("wake_up_process((struct task_struct *) __data)", "wake_up_process",
            Args.of(x -> x.get(L.__data)))
        .retVoid().build());
  }
}
