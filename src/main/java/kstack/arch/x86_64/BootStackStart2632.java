package kstack.arch.x86_64;

import java.util.List;
import java.util.Set;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's boot and per-CPU data (head_64.S@2.6.32:201-269; cpu/common.c@2.6.32:995-1020;
 * X86Boot26): rsp = stack_start, kernel_stack and old_rsp for system_call, init_tss, the
 * exception_stacks and irq_stack_union in the per-CPU area, current_thread_info() from
 * kernel_stack.
 */
public final class BootStackStart2632 implements Boot64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void build(Kernel k) {
    X86Boot26.build(k);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return X86Boot26.perCpuVars(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    X86Boot26.linkData(k, l);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    X86Boot26.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    X86Boot26.initThread(k, initTask);
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return k.symbol(name);
  }

  /** current_thread_info() = kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE (even on the IRQ stack). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return k.readPtr(k.perCpu("kernel_stack", cpu)) + 40 - k.threadSize
        + k.off("thread_info", "preempt_count");
  }

  @Override
  public boolean perCpuZeroBased() {
    return true;
  }

  @Override
  public String tssSymbol() {
    return "init_tss";
  }

  @Override
  public String cpuUpSymbol() {
    return "native_cpu_up";
  }

  @Override
  public long[] irqStack(Kernel k, int cpu) {
    return X86Boot.irqStackUnion(k, cpu);
  }

  @Override
  public long[] entryStack(Kernel k, int cpu) {
    return null;
  }
}
