package kstack.arch.i386;

import java.util.List;
import kstack.kernel.Kernel;
import kstack.kernel.PerCpuVar;

/**
 * What the 2.6 boot modules with thread_info at the stack base (2.6.11, 2.6.32) share: the per-CPU
 * variables, their initialisation and power-on, all in {@link ThreadInfoBoot}; each generation
 * gives only whether it has a per-CPU current_task and a stack-protector canary.
 */
abstract class ThreadInfoBootModel implements I386BootModel {
  private final boolean perCpuCurrent;
  private final boolean stackCanary;

  ThreadInfoBootModel(boolean perCpuCurrent, boolean stackCanary) {
    this.perCpuCurrent = perCpuCurrent;
    this.stackCanary = stackCanary;
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return ThreadInfoBoot.perCpuVars(k, perCpuCurrent, stackCanary);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    ThreadInfoBoot.initPerCpu(k, cpu, perCpuCurrent);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    ThreadInfoBoot.powerOn(k, cpu);
  }
}
