package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 4.16's #DB and #MC: the entry_32.S@4.16.13 stubs through common_exception, do_debug's user icebp (I386Traps). */
public final class Traps416 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildTraps(Kernel k) {
    I386Traps.build(k);
  }
}
