package kstack.kernel;

import kstack.kernel.SchedCommon.L;
import java.util.Set;
import kstack.profile.Feature;

/**
 * The scheduler of 6.x: schedule() loops in the always-inline __schedule_loop
 * (kernel/sched/core.c@6.19:6945-6954), and sched_yield's body is do_sched_yield().
 */
public final class SchedLoop6 extends SchedCore {
  public SchedLoop6() {
    super("sched_submit_work(current); __schedule_loop(SM_NONE) [inlined]", true);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHEDULE_LOOP);
  }
}
