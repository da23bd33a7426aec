package kstack.kernel;

import kstack.kernel.HrtimerSleep.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.profile.Feature;

/**
 * hrtimer sleeps at 4.16: SyS_clock_nanosleep → kc->nsleep = common_nsleep →
 * hrtimer_nanosleep(rqtp, mode, clock) (kernel/time/posix-timers.c@4.16.13:1197-1228,1257-1290).
 */
public final class Hrtimers416 extends HrtimerSleep {

  private static final String SRC = "kernel/time/posix-timers.c@4.16.13:";

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void buildClockNanosleep(Kernel k) {
    k.image.add(clockNanosleepEntry(k, SRC + "1205-1228", "kc = clockid_to_kclock(which_clock): "
            + "CLOCK_REALTIME or CLOCK_MONOTONIC", "get_timespec64(&t, rqtp)")
        .step("current->restart_block.nanosleep.type = rmtp ? TT_NATIVE : TT_NONE; "
            + "restart_block.nanosleep.rmtp = rmtp", x -> { })
        .callVia("return kc->nsleep(which_clock, flags, &t) -> common_nsleep",
            x -> k.image.symbol("common_nsleep"),
            Args.of(x -> x.get(L.which_clock), x -> x.get(L.flags), x -> x.addr(L.t)), null)
        .ret("return ret", Exec::retval).build());
    k.image.add(CallShape.of(k).ret(k.image.c("common_nsleep", SRC + "1197-1203")
            .params(L.which_clock, L.flags, L.rqtp), "return hrtimer_nanosleep(rqtp, " + MODE
            + ", which_clock)", "hrtimer_nanosleep",
        Args.of(x -> x.get(L.rqtp), x -> mode(x), x -> x.get(L.which_clock))).build());
  }
}
