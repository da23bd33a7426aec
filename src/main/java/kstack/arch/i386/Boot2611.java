package kstack.arch.i386;

import java.util.Set;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.11's boot: head.S@2.6.11 with its own stack_start and INIT_THREAD (I386Boot2611); the per-CPU
 * set-up and power-on are the thread_info-at-base ones it shares with 2.6.32 (ThreadInfoBoot).
 */
public final class Boot2611 extends ThreadInfoBootModel {
  /** current is current_thread_info()->task: no per-CPU current_task (current.h@2.6.11:8-13). */
  private static final boolean PER_CPU_CURRENT = false;
  /** No stack protector and no kernel %gs: no per-CPU stack_canary. */
  private static final boolean STACK_CANARY = false;

  public Boot2611() {
    super(PER_CPU_CURRENT, STACK_CANARY);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.PT_REGS_60, Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildBoot(Kernel k) {
    I386Boot2611.build(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    I386Boot2611.linkData(k, l);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    I386Boot2611.initThread(k, initTask);
  }

  @Override
  public String smpBringUpMissing() {
    return "2.6.11's SMP bring-up (smp_boot_cpus, do_boot_cpu with fork_idle, head.S's "
        + "initialize_secondary) is not modelled (arch/i386/kernel/smpboot.c@2.6.11; "
        + "head.S@2.6.11:316-323)";
  }
}
