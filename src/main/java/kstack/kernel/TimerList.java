package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * The timer list of the generations before hrtimers (2.4, 2.6.11): a struct timer_list on the
 * sleeper's stack, whose function runs from the timer softirq or bottom half once jiffies pass its
 * expires; schedule_timeout and process_timeout sleep on one, sys_nanosleep sleeps in
 * schedule_timeout, and the softirq's loop runs the expired ones. The generations differ in the
 * struct's layout and in HZ ({@link Layout}).
 */
final class TimerList {
  enum L implements Local {
    __data, a, action, data, dev_id, expire, flags, h, irq, left, new_timer, nr, pending, regs,
    rmtp, rq_time, rqtp, t, timeout, timer, tsave, user_tick, which_clock
  }

  private TimerList() {}

  /** timer_list.expires: after the list_head on both generations. */
  static final int EXPIRES = 8;

  /**
   * A generation's struct timer_list (its size and the offsets of data and function) and its
   * jiffy in nanoseconds (1/HZ).
   */
  record Layout(int size, int data, int function, long jiffyNs) {}

  /** jiffies, as the simulated clock gives it. */
  static long jiffies(Kernel k, Layout l) {
    return k.timers.now() / l.jiffyNs();
  }

  /**
   * schedule_timeout with its on-stack timer_list, and process_timeout: sched.c@2.4.22:375-458;
   * kernel/timer.c@2.6.11:1042-1113 (fastcall there).
   */
  static void buildTimeout(Kernel k, Layout l, String src, String timeoutSrc) {
    long jiffy = l.jiffyNs();
    k.image.add(k.image.c("schedule_timeout", src).params(L.timeout).locals(L.expire)
        .localArea(L.timer, l.size())
        .step("expire = timeout + jiffies; init_timer(&timer): timer.expires = expire; "
            + "timer.data = (unsigned long) current; timer.function = process_timeout", x -> {
              long t = x.addr(L.timer);
              long expire = jiffies(k, l) + x.get(L.timeout);
              x.set(L.expire, expire);
              x.write(t, 0);
              x.write(t + 4, 0);
              x.write(t + EXPIRES, expire);
              x.write(t + l.data(), k.current(x));
              x.write(t + l.function(), k.image.symbol("process_timeout"));
            })
        .step("add_timer(&timer): into the timer wheel (tv1..tv5)", x -> {
          long t = x.addr(L.timer);
          k.timers.addTimer(x.read(t + EXPIRES) * jiffy, k.current(x), t, "process_timeout");
        })
        .call("schedule()", "schedule", Args.inPlace())
        .step("del_timer_sync(&timer); timeout = expire - jiffies", x -> {
          for (Timers.Timer tm : k.timers.pendingTimers()) {
            if (tm.sleeper() == x.addr(L.timer)) {
              k.timers.removeTimer(tm);
            }
          }
          x.set(L.timeout, Math.max(0, x.get(L.expire) - jiffies(k, l)));
        })
        .ret("return timeout < 0 ? 0 : timeout", x -> x.get(L.timeout)).build());
    k.image.add(k.image.c("process_timeout", timeoutSrc).params(L.__data)
        .call("wake_up_process((struct task_struct *) __data)", "wake_up_process",
            Args.of(x -> x.get(L.__data)))
        .retVoid().build());
  }

  /** sys_nanosleep (kernel/timer.c@2.4.22:836-875, @2.6.11:1159-1190: the same path). */
  static void buildNanosleep(Kernel k, Layout l, String src) {
    k.image.add(Syscalls.entry(k, "nanosleep", src, L.rqtp, L.rmtp).locals(L.expire)
        .localArea(L.t, 8)
        .step("copy_from_user(&t, rqtp, sizeof(struct timespec)); (a SCHED_OTHER task never "
            + "busy-waits); expire = timespec_to_jiffies(&t) + (t.tv_sec || t.tv_nsec)", x -> {
              long t = x.addr(L.t);
              x.write(t, x.read(x.get(L.rqtp)));
              x.write(t + 4, x.read(x.get(L.rqtp) + 4));
              long ns = x.read(t) * 1_000_000_000L + x.read(t + 4);
              long jif = (ns + l.jiffyNs() - 1) / l.jiffyNs();
              x.set(L.expire, jif + (ns != 0 ? 1 : 0));
            })
        .step("current->state = TASK_INTERRUPTIBLE", x -> {
          long cur = k.current(x);
          k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new kstack.trace.Event.Blocked(x.cpu().id(), k.tasks.pid(cur),
              "nanosleep for " + x.get(L.expire) + " jiffies"));
        })
        .callInto(L.expire, "expire = schedule_timeout(expire)", "schedule_timeout",
            Args.of(x -> x.get(L.expire)))
        .ret("if (expire) return -EINTR (with the rest in *rmtp); return 0",
            x -> x.get(L.expire) != 0 ? -4 : 0).build());
  }

  /**
   * The loop that runs expired timer_lists: 2.4's run_timer_list, 2.6.11's __run_timers
   * (kernel/timer.c@2.4.22:289-326, @2.6.11:434-470); the caller's loop label is "loop", its exit
   * "done".
   */
  static RoutineBuilder runExpired(Kernel k, Layout l, RoutineBuilder b, String text) {
    return b.step(text, x -> {
          Timers.Timer t = k.timers.expiredTimer(x.cpu().id());
          while (t != null && t.sleeper() == 0) { // a bare tick: nothing to run
            k.timers.removeTimer(t);
            t = k.timers.expiredTimer(x.cpu().id());
          }
          x.set(L.timer, t == null ? 0 : t.sleeper());
          if (t != null) {
            k.timers.removeTimer(t);
          }
        })
        .branchIf("done", "if none: done", x -> x.get(L.timer) == 0)
        .callVia("  detach_timer(timer); fn = timer->function; fn(timer->data)",
            x -> x.read(x.get(L.timer) + l.function()),
            Args.of(x -> x.read(x.get(L.timer) + l.data())), null)
        .jump("loop", "  goto repeat");
  }

  /** The machine's tick request is this interrupt: it is consumed here. */
  static void tickConsumed(Kernel k, Exec x) {
    for (Timers.Timer t : k.timers.pendingTimers()) {
      if (t.cpu() == x.cpu().id() && t.sleeper() == 0 && t.expiresNs() <= k.timers.now()) {
        k.timers.removeTimer(t);
        return;
      }
    }
  }
}
