package kstack.kernel;

import kstack.kernel.TimerList.L;
import java.util.Set;
import kstack.profile.Feature;

/**
 * Timers at 2.4.22 (Feature.TIMER_BH): the timer list run by TIMER_BH, HZ 100, and a struct
 * timer_list of list, expires, data, function (include/linux/timer.h@2.4.22:16-21;
 * include/asm-i386/param.h@2.4.22:5). sys_nanosleep sleeps in schedule_timeout
 * (kernel/timer.c@2.4.22:836-875); there is no clock_nanosleep (the POSIX clocks came in 2.5.63).
 */
public final class TimerBh24 implements Nanosleep {
  static final TimerList.Layout LAYOUT = new TimerList.Layout(20, 12, 16, 10_000_000L);

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TIMER_BH);
  }

  @Override
  public void buildNanosleep(Kernel k) {
    TimerList.buildNanosleep(k, LAYOUT, "kernel/timer.c");
  }

  /** 2.4 has no clock_nanosleep: nothing to add (the 2.4 build order never asks). */
  @Override
  public void buildClockNanosleep(Kernel k) {
  }
}
