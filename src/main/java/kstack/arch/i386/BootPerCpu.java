package kstack.arch.i386;

import java.util.List;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;

/**
 * The boot of the generations with thread_info in task_struct (4.16, 6.19): head_32.S, the per-CPU
 * TSS and IRQ stacks (I386Boot); the generations' modules extend it.
 */
public abstract class BootPerCpu implements I386BootModel {
  @Override
  public void buildBoot(Kernel k) {
    I386Boot.build(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    I386Boot.linkData(k, l);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return I386Boot.perCpuVars(k);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    I386Boot.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    I386Boot.initThread(k, initTask);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    I386Boot.powerOn(k, cpu);
  }
}
