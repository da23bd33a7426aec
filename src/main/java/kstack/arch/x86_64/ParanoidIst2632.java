package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's IST exceptions (entry_64.S@2.6.32, traps.c@2.6.32; X86Nmi26): paranoidzeroentry and
 * save_paranoid for the NMI, #DB and #MC on the per-CPU exception_stacks; no nested-NMI protocol
 * yet (3.3).
 */
public final class ParanoidIst2632 implements Exceptions64 {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    X86Nmi26.build(k);
  }

  @Override
  public String handlerName(int vector) {
    return X86Exceptions.handlerName("", vector);
  }

  @Override
  public long[] istStack(Kernel k, int cpu, int i) {
    return new long[] {X86Nmi26.istTop(k, cpu, i) - X86Nmi26.SIZES[i], X86Nmi26.istTop(k, cpu, i)};
  }
}
