package kstack.kernel;

import java.util.Set;
import kstack.image.Linker;
import kstack.layout.CType;
import kstack.profile.Feature;

/**
 * 2.4's .data.init_task: 8 KiB aligned, it holds init_task_union; init_task and init_stack are
 * macros for its .task and .stack (arch/i386/vmlinux.lds@2.4.22:38-39; processor.h@2.4.22:450-451).
 */
public final class InitTaskUnion24 implements InitStack {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  @Override
  public void link(Kernel k, Linker l) {
    l.align(k.threadSize);
    CType union = k.t.array(k.t.ulong, (int) (k.threadSize / k.t.word));
    l.alias("init_task_union", union, k.threadSize);
    l.alias("init_stack", union, k.threadSize);
    l.alias("init_task", k.t.struct(k.image.struct("task_struct")), k.image.struct("task_struct").size());
    l.setDot(l.dot() + k.threadSize);
  }
}
