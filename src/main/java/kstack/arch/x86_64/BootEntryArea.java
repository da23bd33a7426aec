package kstack.arch.x86_64;

import java.util.List;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;

/**
 * Boot and per-CPU data with the cpu_entry_area (4.15 on): TSS.sp0 on the per-CPU entry stack,
 * the IST stacks in the entry area, cpu_tss_rw, the per-CPU __preempt_count (cpu/common.c). What
 * the generations with it share (X86Boot); each module names its own pieces.
 */
public abstract class BootEntryArea implements Boot64 {
  @Override
  public void build(Kernel k) {
    X86Boot.build(k);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return X86Boot.perCpuVars(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    X86Boot.linkData(k, l);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    X86Boot.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    X86Boot.initThread(k, initTask);
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return X86Boot.perCpuMacro(k, name);
  }

  /** DEFINE_PER_CPU(int, __preempt_count) (cpu/common.c@4.16.13:1460, @6.19:2222). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return k.perCpu("__preempt_count", cpu);
  }

  @Override
  public String tssSymbol() {
    return "cpu_tss_rw";
  }

  @Override
  public long[] entryStack(Kernel k, int cpu) {
    long top = X86Boot.entryStackTop(k, cpu);
    return new long[] {top - k.constant("ENTRY_STACK_SIZE"), top};
  }
}
