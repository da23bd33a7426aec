package kstack.kernel;

import kstack.kernel.SchedCommon.L;
import java.util.Set;
import kstack.profile.Feature;

/** The scheduler of 4.16 (kernel/sched/core.c@4.16.13): schedule() → __schedule(false). */
public final class Sched416 extends SchedCore {
  public Sched416() {
    super("sched_submit_work(current)", false);
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }
}
