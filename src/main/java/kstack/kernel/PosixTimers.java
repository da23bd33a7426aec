package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * clock_nanosleep(2), which the C library's nanosleep() has called since glibc 2.31
 * (kernel/posix-timers.c until 4.x moved it to kernel/time/posix-timers.c). The model sleeps on
 * CLOCK_REALTIME (0) and CLOCK_MONOTONIC (1) with flags 0 (a relative sleep).
 *
 * <ul>
 *   <li>6.19: sys_clock_nanosleep → kc->nsleep = common_nsleep (REALTIME) or common_nsleep_timens
 *       (MONOTONIC) → hrtimer_nanosleep → do_nanosleep → schedule (posix-timers.c@6.19:1347-1399,
 *       1437,1454); on x86_64 the nsleep's {@code return hrtimer_nanosleep(...)} is a sibling call.
 *       i386's table entry is the 32-bit-time clock_nanosleep_time32 (syscall_32.tbl@6.19: 267).
 *   <li>4.16: SyS_clock_nanosleep → common_nsleep → hrtimer_nanosleep(rqtp, mode, clock)
 *       (kernel/time/posix-timers.c@4.16.13:1197-1228,1257-1290).
 *   <li>2.6.32: sys_clock_nanosleep → CLOCK_DISPATCH → common_nsleep (the realtime k_clock has no
 *       nsleep) → hrtimer_nanosleep (kernel/posix-timers.c@2.6.32.67:158-161,994-1018).
 *   <li>2.6.11, before hrtimers: sys_clock_nanosleep → do_clock_nanosleep, which arms an on-stack
 *       timer_list whose function is nanosleep_wake_up and calls schedule() in a loop
 *       (kernel/posix-timers.c@2.6.11:1272-1277,1385-1519).
 * </ul>
 * 2.4 has no clock_nanosleep (the POSIX clocks came in 2.5.63).
 */
final class PosixTimers {
  enum L implements Local {
      __data, flags, left, new_timer, rmtp, rq_time, rqtp, t, texp, tsave, which_clock
  }

  private PosixTimers() {}

  static void build(Kernel k) {
    if (k.profile.has(Feature.NO_HRTIMERS)) {
      build2611(k);
      return;
    }
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    boolean v2632 = Syscalls.v26(k);
    String src = (v2632 ? "kernel/posix-timers.c@2.6.32.67:" : "kernel/time/posix-timers.c@"
        + (v6 ? "6.19:" : "4.16.13:"));
    RoutineBuilder e = Syscalls.entry(k, "clock_nanosleep", src + (v6 ? "1375-1399"
            : v2632 ? "1002-1018" : "1205-1228"), L.which_clock, L.flags, L.rqtp, L.rmtp)
        .localArea(L.t, 16)
        .step(v2632 ? "if (invalid_clockid(which_clock)) return -EINVAL"
            : "kc = clockid_to_kclock(which_clock): CLOCK_REALTIME or CLOCK_MONOTONIC", x -> { })
        .step((v2632 ? "copy_from_user(&t, rqtp, sizeof(struct timespec))"
            : k.arch.name().equals("i386") && v6 ? "get_old_timespec32(&t, rqtp)"
            : "get_timespec64(&t, rqtp)") + "; timespec64_valid(&t)", x -> {
              long ns = Syscalls.timespecNs(x, x.get(L.rqtp));
              x.write(x.addr(L.t), 8, ns / 1_000_000_000L);
              x.write(x.addr(L.t) + 8, 8, ns % 1_000_000_000L);
            });
    if (!v2632) {
      e.step((v6 ? "current->restart_block.fn = do_no_restart_syscall; " : "")
          + "current->restart_block.nanosleep.type = rmtp ? TT_NATIVE : TT_NONE; "
          + "restart_block.nanosleep.rmtp = rmtp", x -> { });
    }
    String text = v2632 ? "return CLOCK_DISPATCH(which_clock, nsleep, (which_clock, flags, &t, "
        + "rmtp)) -> common_nsleep" : "return kc->nsleep(which_clock, flags, &t)"
        + (v6 ? " -> common_nsleep (REALTIME) or common_nsleep_timens (MONOTONIC)"
            : " -> common_nsleep");
    k.image.add(e.callVia(text, x -> k.image.symbol(nsleep(k, x.get(L.which_clock))),
            Args.of(x -> x.get(L.which_clock), x -> x.get(L.flags), x -> x.addr(L.t)), null)
        .ret("return ret", Exec::retval).build());
    String[] fns = v6 ? new String[] {"common_nsleep", "common_nsleep_timens"}
        : new String[] {"common_nsleep"};
    for (String fn : fns) {
      RoutineBuilder c = k.image.c(fn, src + (v6 ? (fn.equals("common_nsleep") ? "1347-1355"
              : "1362-1373") : v2632 ? "994-1000" : "1197-1203"))
          .params(L.which_clock, L.flags, L.rqtp);
      String mode = "flags & TIMER_ABSTIME ? HRTIMER_MODE_ABS : HRTIMER_MODE_REL";
      if (v6) {
        c.locals(L.texp).step("texp = timespec64_to_ktime(*rqtp)"
                + (fn.equals("common_nsleep") ? "" : "; (TIMER_ABSTIME: timens_ktime_to_host)"),
            x -> x.set(L.texp, Syscalls.timespec64Ns(x, x.get(L.rqtp))));
        k.image.add(SiblingCall.ret(k, c, "return hrtimer_nanosleep(texp, " + mode + ", which_clock)",
            "hrtimer_nanosleep", Args.of(x -> x.get(L.texp), x -> mode(x), x -> x.get(L.which_clock)))
            .build());
      } else {
        k.image.add(SiblingCall.ret(k, c, "return hrtimer_nanosleep(" + (v2632 ? "tsave, rmtp" : "rqtp")
                + ", " + mode + ", which_clock)", "hrtimer_nanosleep",
            Args.of(x -> x.get(L.rqtp), x -> mode(x), x -> x.get(L.which_clock))).build());
      }
    }
  }

  /** HRTIMER_MODE_ABS 0, HRTIMER_MODE_REL 1 (include/linux/hrtimer.h). */
  private static long mode(Exec x) {
    return (x.get(L.flags) & 1) != 0 ? 0 : 1;
  }

  private static String nsleep(Kernel k, long clock) {
    return clock != 0 && k.profile.has(Feature.KERNEL_CLONE) ? "common_nsleep_timens"
        : "common_nsleep";
  }

  /** 2.6.11: do_clock_nanosleep's own timer_list and schedule() loop. */
  private static void build2611(Kernel k) {
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
    int data = Sched24.timerData(k);
    int function = Sched24.timerFunction(k);
    long jiffy = Sched24.jiffyNs(k);
    k.image.add(k.image.c("do_clock_nanosleep", src + "1420-1519").params(L.which_clock, L.flags, L.tsave)
        .locals(L.rq_time, L.left).localArea(L.new_timer, Sched24.timerSize(k))
        .step("init_timer(&new_timer); new_timer.expires = 0; new_timer.data = (unsigned long) "
            + "current; new_timer.function = nanosleep_wake_up; abs = flags & TIMER_ABSTIME", x -> {
              long t = x.addr(L.new_timer);
              x.write(t + Sched24.TIMER_EXPIRES, 0);
              x.write(t + data, k.current(x));
              x.write(t + function, k.image.symbol("nanosleep_wake_up"));
            })
        .step("t = *tsave; adjust_abs_time(): rq_time = jiffies + timespec_to_jiffies(&t); "
            + "rq_time += (t.tv_sec || t.tv_nsec)", x -> {
              long ns = x.read(x.get(L.tsave)) * 1_000_000_000L + x.read(x.get(L.tsave) + 4);
              x.set(L.rq_time, Sched24.jiffies(k) + (ns + jiffy - 1) / jiffy + (ns != 0 ? 1 : 0));
            })
        .label("loop")
        .step("left = rq_time - get_jiffies_64()",
            x -> x.set(L.left, x.get(L.rq_time) - Sched24.jiffies(k)))
        .branchIf("done", "if (left < (s64)0) break", x -> x.signed(x.get(L.left)) < 0)
        .step("new_timer.expires = jiffies + left; __set_current_state(TASK_INTERRUPTIBLE); "
            + "add_timer(&new_timer)", x -> {
              long t = x.addr(L.new_timer);
              long cur = k.current(x);
              x.write(t + Sched24.TIMER_EXPIRES, Sched24.jiffies(k) + x.get(L.left));
              k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "clock_nanosleep for "
                  + x.get(L.left) + " jiffies"));
              k.timers.addTimer(x.read(t + Sched24.TIMER_EXPIRES) * jiffy, cur, t, "nanosleep_wake_up");
            })
        .call("schedule()", "schedule", Args.inPlace())
        .step("del_timer_sync(&new_timer); left = rq_time - get_jiffies_64()", x -> {
          for (Timers.Timer tm : k.timers.pendingTimers()) {
            if (tm.sleeper() == x.addr(L.new_timer)) {
              k.timers.removeTimer(tm);
            }
          }
          x.set(L.left, x.get(L.rq_time) - Sched24.jiffies(k));
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
