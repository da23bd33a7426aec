package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.6.32's frames: switch_to inline in schedule(), thread_return, system_call's partial frame. */
public final class ThreadReturnUnwinder2632 implements Unwinder64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHEDULE_SWITCH_INLINE);
  }

  @Override
  public X86Unwind unwinder(Kernel k, X86_64 arch) {
    return new UnwindThreadReturn2632(k, arch);
  }
}
