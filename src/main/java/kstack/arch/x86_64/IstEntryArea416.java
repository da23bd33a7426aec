package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's IST exceptions (entry_64.S@4.16.13 idtentry paranoid=1, nmi; page_64_types.h@4.16.13:
 * 19-31): DF, NMI, DB (8 KiB) and MCE stacks back to back in the cpu_entry_area, the nested-NMI
 * protocol, do_double_fault, do_debug with the shifted #DB IST entry, do_mce.
 */
public final class IstEntryArea416 implements Exceptions64 {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    X86Exceptions.build(k);
  }

  @Override
  public String handlerName(int vector) {
    return X86Exceptions.handlerName("", vector);
  }

  @Override
  public long[] istStack(Kernel k, int cpu, int i) {
    return X86Exceptions.istStack(k, cpu, i);
  }
}
