package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.11's #DB, #MC and NMI (I386Traps2611): #DB an interrupt gate, #MC still a trap gate
 * (traps.c@2.6.11:1010,1028).
 */
public final class Traps2611 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TRAPS_2611);
  }

  @Override
  public void buildTraps(Kernel k) {
    I386Traps2611.build(k);
  }

  @Override
  public boolean trapGate(int vector) {
    return vector == I386Traps.MC_VECTOR;
  }
}
