package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's IST exceptions (entry_64.S@6.19 asm_exc_*, idtentry.h@6.19, cpu_entry_area.h@6.19:12-56):
 * 8 KiB IST stacks each above a guard page, exc_double_fault, exc_nmi, idtentry_mce_db with the
 * noist_ user-mode entries.
 */
public final class IstGuardedIdtentry619 implements Exceptions64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void build(Kernel k) {
    X86Exceptions.build(k);
  }

  @Override
  public String handlerName(int vector) {
    return X86Exceptions.handlerName("asm_exc_", vector);
  }

  @Override
  public long[] istStack(Kernel k, int cpu, int i) {
    return X86Exceptions.istStack(k, cpu, i);
  }
}
