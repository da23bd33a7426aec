package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's boot and per-CPU data (head_64.S@6.19:61-62,325-326; processor.h@6.19:662-666;
 * vmlinux.lds.S@6.19:333-334): rsp from the current task's thread.sp in common_startup_64, the
 * cache-hot per-CPU variables first and .data..percpu in the image, a vmapped IRQ stack, and
 * HOTPLUG_SPLIT_STARTUP's native_kick_ap (arch/x86/Kconfig@6.19:307-309; kernel/cpu.c@6.19:
 * 818-825; smpboot.c@6.19:975-1017), which only starts the AP.
 */
public final class BootThreadSp619 extends BootEntryArea {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.BOOT_RSP_FROM_THREAD_SP, Feature.PERCPU_IN_IMAGE,
        Feature.HOTPLUG_SPLIT_STARTUP);
  }

  @Override
  public boolean perCpuZeroBased() {
    return false;
  }

  @Override
  public String cpuUpSymbol() {
    return "native_kick_ap";
  }

  @Override
  public long[] irqStack(Kernel k, int cpu) {
    return X86Boot.hardirqStack(k, cpu);
  }
}
