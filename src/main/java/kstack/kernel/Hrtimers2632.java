package kstack.kernel;

import kstack.kernel.HrtimerSleep.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.profile.Feature;

/**
 * hrtimer sleeps at 2.6.32: sys_clock_nanosleep → CLOCK_DISPATCH → common_nsleep (the realtime
 * k_clock has no nsleep) → hrtimer_nanosleep (kernel/posix-timers.c@2.6.32.67:158-161,994-1018).
 */
public final class Hrtimers2632 extends HrtimerSleep {

  private static final String SRC = "kernel/posix-timers.c@2.6.32.67:";

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void buildClockNanosleep(Kernel k) {
    k.image.add(clockNanosleepEntry(k, SRC + "1002-1018", "if (invalid_clockid(which_clock)) return "
            + "-EINVAL", "copy_from_user(&t, rqtp, sizeof(struct timespec))")
        .callVia("return CLOCK_DISPATCH(which_clock, nsleep, (which_clock, flags, &t, rmtp)) -> "
                + "common_nsleep", x -> k.image.symbol("common_nsleep"),
            Args.of(x -> x.get(L.which_clock), x -> x.get(L.flags), x -> x.addr(L.t)), null)
        .ret("return ret", Exec::retval).build());
    k.image.add(CallShape.of(k).ret(k.image.c("common_nsleep", SRC + "994-1000")
            .params(L.which_clock, L.flags, L.rqtp), "return hrtimer_nanosleep(tsave, rmtp, "
            + MODE + ", which_clock)", "hrtimer_nanosleep",
        Args.of(x -> x.get(L.rqtp), x -> mode(x), x -> x.get(L.which_clock))).build());
  }
}
