package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's boot and per-CPU data (head_64.S@4.16.13:74-75,164,265-270; cpu/common.c@4.16.13:
 * 1444-1460): rsp from initial_stack in secondary_startup_64, irq_stack_union first in
 * .data..percpu (zero-based, vmlinux.lds.S@4.16.13:210-217), the stack top in
 * cpu_tss_rw.x86_tss.sp1, native_cpu_up waiting for the AP.
 */
public final class BootInitialStack416 extends BootEntryArea {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.BOOT_RSP_FROM_INITIAL_STACK);
  }

  @Override
  public boolean perCpuZeroBased() {
    return true;
  }

  @Override
  public String cpuUpSymbol() {
    return "native_cpu_up";
  }

  @Override
  public long[] irqStack(Kernel k, int cpu) {
    return X86Boot.irqStackUnion(k, cpu);
  }
}
