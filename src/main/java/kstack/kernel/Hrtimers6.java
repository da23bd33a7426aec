package kstack.kernel;

import kstack.kernel.HrtimerSleep.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * hrtimer sleeps at 6.x: nanosleep passes hrtimer_nanosleep a ktime, not a timespec;
 * sys_clock_nanosleep → kc->nsleep = common_nsleep (REALTIME) or common_nsleep_timens (MONOTONIC)
 * → hrtimer_nanosleep → do_nanosleep → schedule (kernel/time/posix-timers.c@6.19:1347-1399,
 * 1437,1454); on x86_64 the nsleep's {@code return hrtimer_nanosleep(...)} is a sibling call.
 * i386's table entry is the 32-bit-time clock_nanosleep_time32 (syscall_32.tbl@6.19: 267), which
 * reads the request with get_old_timespec32: the copy's words are the profile's pick.
 */
public final class Hrtimers6 extends HrtimerSleep {

  private static final String SRC = "kernel/time/posix-timers.c@6.19:";
  private final String getTimespec;

  /** @param getTimespec how the table's clock_nanosleep reads the request: get_timespec64 or get_old_timespec32 */
  public Hrtimers6(String getTimespec) {
    this.getTimespec = getTimespec;
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public String toString() {
    return "Hrtimers6(" + getTimespec + ")";
  }

  @Override
  RoutineBuilder callHrtimerNanosleep(RoutineBuilder e) {
    return e.step("get_timespec64(&tu, rqtp): the duration from user memory",
            x -> x.set(L.ns, timespecNs(x, x.get(L.rqtp))))
        .call("hrtimer_nanosleep(timespec64_to_ktime(tu), HRTIMER_MODE_REL, CLOCK_MONOTONIC)",
            "hrtimer_nanosleep", Args.of(x -> x.get(L.ns), x -> 1, x -> 1));
  }

  @Override
  String sleeperSetup() {
    return "hrtimer_setup_sleeper_on_stack(&t, clockid, mode); set expiry";
  }

  @Override
  long duration(Exec x) {
    return x.get(L.rqtp);
  }

  @Override
  String scheduleText() {
    return "schedule()";
  }

  @Override
  public void buildClockNanosleep(Kernel k) {
    k.image.add(clockNanosleepEntry(k, SRC + "1375-1399", "kc = clockid_to_kclock(which_clock): "
            + "CLOCK_REALTIME or CLOCK_MONOTONIC", getTimespec + "(&t, rqtp)")
        .step("current->restart_block.fn = do_no_restart_syscall; "
            + "current->restart_block.nanosleep.type = rmtp ? TT_NATIVE : TT_NONE; "
            + "restart_block.nanosleep.rmtp = rmtp", x -> { })
        .callVia("return kc->nsleep(which_clock, flags, &t) -> common_nsleep (REALTIME) or "
                + "common_nsleep_timens (MONOTONIC)",
            x -> k.image.symbol(x.get(L.which_clock) != 0 ? "common_nsleep_timens" : "common_nsleep"),
            Args.of(x -> x.get(L.which_clock), x -> x.get(L.flags), x -> x.addr(L.t)), null)
        .ret("return ret", Exec::retval).build());
    CallShape calls = CallShape.of(k);
    for (String fn : new String[] {"common_nsleep", "common_nsleep_timens"}) {
      boolean realtime = fn.equals("common_nsleep");
      RoutineBuilder c = k.image.c(fn, SRC + (realtime ? "1347-1355" : "1362-1373"))
          .params(L.which_clock, L.flags, L.rqtp)
          .locals(L.texp).step("texp = timespec64_to_ktime(*rqtp)"
                  + (realtime ? "" : "; (TIMER_ABSTIME: timens_ktime_to_host)"),
              x -> x.set(L.texp, timespec64Ns(x, x.get(L.rqtp))));
      k.image.add(calls.ret(c, "return hrtimer_nanosleep(texp, " + MODE + ", which_clock)",
          "hrtimer_nanosleep", Args.of(x -> x.get(L.texp), x -> mode(x), x -> x.get(L.which_clock)))
          .build());
    }
  }
}
