package kstack.arch.i386;

import java.util.List;
import java.util.Set;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.profile.Feature;

/** 2.4.22's boot: head.S, init_tss[NR_CPUS], no per-CPU areas (I386Boot24). */
public final class Boot24 implements I386BootModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  @Override
  public void buildBoot(Kernel k) {
    I386Boot24.build(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    I386Boot24.linkData(k, l);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return I386Boot24.perCpuVars(k);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    I386Boot24.initPerCpu(k, cpu);
  }

  /** INIT_THREAD (processor.h@2.4.22:381-389): all zero, esp0 included, but io_bitmap {~0,}. */
  @Override
  public void initThread(Kernel k, long initTask) {
    k.writePtr(initTask + k.tasks.off(TaskMember.thread_io_bitmap), 0xffffffffL);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    I386Boot24.powerOn(k, cpu);
  }

  @Override
  public String smpBringUpMissing() {
    return "2.4's SMP bring-up (smp_boot_cpus, do_boot_cpu's trampoline, initialize_secondary, "
        + "the per-CPU idle tasks from fork_by_hand) is not modelled "
        + "(arch/i386/kernel/smpboot.c@2.4.22:483-911)";
  }
}
