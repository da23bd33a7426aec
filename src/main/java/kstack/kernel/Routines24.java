package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/** 2.4.22's generic kernel ({@link Linux24}), then the arch's routines and the user program. */
public final class Routines24 implements KernelRoutines {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    Linux24.build(k);
    k.arch.buildRoutines(k);
    UserProgram.build(k);
  }
}
