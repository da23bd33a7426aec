package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * Sleeping on an hrtimer (2.6.32 on): nanosleep → hrtimer_nanosleep, which puts a struct
 * hrtimer_sleeper on its stack, → do_nanosleep, which sleeps in schedule() until hrtimer_wakeup
 * clears t->task (kernel/time/hrtimer.c); clock_nanosleep(2), which the C library's nanosleep()
 * has called since glibc 2.31, reaches the same hrtimer_nanosleep through the clock's nsleep
 * (kernel/posix-timers.c until 4.x moved it to kernel/time/posix-timers.c). The model sleeps on
 * CLOCK_REALTIME (0) and CLOCK_MONOTONIC (1) with flags 0 (a relative sleep).
 */
abstract class HrtimerSleep implements Nanosleep {
  enum L implements Local { clockid, flags, mode, ns, rmtp, rqtp, t, texp, tu, which_clock }

  static final String HRTIMER = "kernel/time/hrtimer.c";
  /** struct hrtimer_sleeper: the hrtimer (node.expires at 24, function at 40) then task at 64. */
  static final int SLEEPER_SIZE = 72;
  static final int SLEEPER_EXPIRES = 24;
  static final int SLEEPER_FUNCTION = 40;
  static final int SLEEPER_TASK = 64;
  static final String MODE = "flags & TIMER_ABSTIME ? HRTIMER_MODE_ABS : HRTIMER_MODE_REL";

  @Override
  public void buildNanosleep(Kernel k) {
    RoutineBuilder e = Syscalls.entry(k, "nanosleep", HRTIMER, L.rqtp, L.rmtp).locals(L.ns);
    k.image.add(callHrtimerNanosleep(e).ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("hrtimer_nanosleep", HRTIMER).params(L.rqtp, L.mode, L.clockid)
        .localArea(L.t, SLEEPER_SIZE)
        .step(sleeperSetup(), x -> {
          x.write(x.addr(L.t) + SLEEPER_EXPIRES, k.timers.now() + duration(x));
          x.write(x.addr(L.t) + SLEEPER_FUNCTION, k.image.symbol("hrtimer_wakeup"));
        })
        .call("ret = do_nanosleep(&t, mode)", "do_nanosleep",
            Args.of(x -> x.addr(L.t), x -> x.get(L.mode)))
        .ret("destroy_hrtimer_on_stack(&t.timer); return ret", Exec::retval).build());
    k.image.add(k.image.c("do_nanosleep", HRTIMER).params(L.t, L.mode)
        .step("hrtimer_init_sleeper(t, current): t->task = current",
            x -> x.write(x.get(L.t) + SLEEPER_TASK, k.current(x)))
        .label("again")
        .step("set_current_state(TASK_INTERRUPTIBLE); hrtimer_start_expires(&t->timer, mode)",
            x -> {
              long t = x.get(L.t);
              Syscalls.sleepOn(k, x, t, "nanosleep until t=" + x.read(t + SLEEPER_EXPIRES) + "ns");
              k.timers.addTimer(x.read(t + SLEEPER_EXPIRES), k.current(x), t);
            })
        .call(scheduleText(), "schedule", Args.inPlace())
        .step("hrtimer_cancel(&t->timer)", x -> {
          for (Timers.Timer tm : k.timers.pendingTimers()) {
            if (tm.sleeper() == x.get(L.t)) {
              k.timers.removeTimer(tm);
            }
          }
        })
        .branchIf("again", "while (t->task && !signal_pending(current))",
            x -> x.read(x.get(L.t) + SLEEPER_TASK) != 0)
        .step("__set_current_state(TASK_RUNNING)", x -> { })
        .ret("return 0", x -> 0).build());
  }

  /**
   * sys_nanosleep's body up to hrtimer_nanosleep: a struct timespec64 tu on the stack, its address
   * passed down (6.x passes the ktime instead).
   */
  RoutineBuilder callHrtimerNanosleep(RoutineBuilder e) {
    return e.localArea(L.tu, 16)
        .step("get_timespec64(&tu, rqtp): the duration from user memory", x -> {
          x.write(x.addr(L.tu), 8, x.read(x.get(L.rqtp), x.word()));
          x.write(x.addr(L.tu) + 8, 8, x.read(x.get(L.rqtp) + x.word(), x.word()));
        })
        .call("hrtimer_nanosleep(&tu, HRTIMER_MODE_REL, CLOCK_MONOTONIC)", "hrtimer_nanosleep",
            Args.of(x -> x.addr(L.tu), x -> 1, x -> 1));
  }

  /** hrtimer_nanosleep's first step: the sleeper on the stack, its expiry set. */
  String sleeperSetup() {
    return "hrtimer_init_on_stack(&t.timer, clockid, mode); hrtimer_set_expires_range_ns()";
  }

  /** The sleep's length in ns, from hrtimer_nanosleep's first argument: a timespec64 here. */
  long duration(Exec x) {
    return timespec64Ns(x, x.get(L.rqtp));
  }

  /** do_nanosleep's call of the scheduler. */
  String scheduleText() {
    return "freezable_schedule() [inline]: schedule()";
  }

  /** HRTIMER_MODE_ABS 0, HRTIMER_MODE_REL 1 (include/linux/hrtimer.h). */
  static long mode(Exec x) {
    return (x.get(L.flags) & 1) != 0 ? 0 : 1;
  }

  /** A user struct timespec (two longs: 8 bytes each on 64-bit, 4 on i386). */
  static long timespecNs(Exec x, long ts) {
    return x.read(ts) * 1_000_000_000L + x.read(ts + x.word());
  }

  /** A kernel struct timespec64 (two 64-bit members on every arch). */
  static long timespec64Ns(Exec x, long ts) {
    return x.read(ts, 8) * 1_000_000_000L + x.read(ts + 8, 8);
  }

  /**
   * sys_clock_nanosleep: the clock checked, the user timespec copied into t, then the clock's nsleep
   * called through a pointer. Returns the entry up to the copy, for the generation to finish.
   */
  static RoutineBuilder clockNanosleepEntry(Kernel k, String src, String check, String copy) {
    return Syscalls.entry(k, "clock_nanosleep", src, L.which_clock, L.flags, L.rqtp, L.rmtp)
        .localArea(L.t, 16)
        .step(check, x -> { })
        .step(copy + "; timespec64_valid(&t)", x -> {
          long ns = timespecNs(x, x.get(L.rqtp));
          x.write(x.addr(L.t), 8, ns / 1_000_000_000L);
          x.write(x.addr(L.t) + 8, 8, ns % 1_000_000_000L);
        });
  }
}
