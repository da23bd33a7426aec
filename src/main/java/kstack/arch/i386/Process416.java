package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 4.16's process_32.c: __switch_to after __switch_to_asm, copy_thread_tls (I386Process). */
public final class Process416 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process.build(k);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread_tls";
  }
}
