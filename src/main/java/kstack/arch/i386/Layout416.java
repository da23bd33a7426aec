package kstack.arch.i386;

import java.util.Set;
import kstack.profile.Feature;

/** 4.16's layouts: thread_info in task_struct, flags and status only. */
public final class Layout416 extends LayoutInTask {
  public Layout416() {
    super(false, false, false);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }
}
