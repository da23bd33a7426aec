package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.6.32's #DB and #MC: the entry_32.S@2.6.32.67 stubs, do_debug sending SIGTRAP whatever the mode (I386Traps). */
public final class Traps2632 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildTraps(Kernel k) {
    I386Traps.build(k);
  }
}
