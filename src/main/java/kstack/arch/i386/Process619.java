package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 6.19's process_32.c: __switch_to after __switch_to_asm, copy_thread taking kernel_clone_args (I386Process). */
public final class Process619 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process.build(k);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }
}
