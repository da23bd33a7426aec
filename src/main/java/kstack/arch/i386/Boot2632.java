package kstack.arch.i386;

import java.util.Set;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.6.32's boot: head_32.S (I386Boot2632), the per-CPU init_tss and irq_ctx set-up (ThreadInfoBoot). */
public final class Boot2632 extends ThreadInfoBootModel {
  /** The per-CPU current_task (cpu/common.c@2.6.32:1053). */
  private static final boolean PER_CPU_CURRENT = true;
  /** The stack protector's per-CPU stack_canary at %gs:20. */
  private static final boolean STACK_CANARY = true;

  public Boot2632() {
    super(PER_CPU_CURRENT, STACK_CANARY);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildBoot(Kernel k) {
    I386Boot2632.build(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    I386Boot2632.linkData(k, l);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    I386Boot2632.initThread(k, initTask);
  }
}
