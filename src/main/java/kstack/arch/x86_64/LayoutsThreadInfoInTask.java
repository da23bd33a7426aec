package kstack.arch.x86_64;

import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Profile;

/**
 * The layout with THREAD_INFO_IN_TASK and the cpu_entry_area: THREAD_SIZE_ORDER 2 plus
 * KASAN_STACK_ORDER (asm/page_64_types.h), an IRQ stack of THREAD_SIZE, the inactive_task_frame
 * and fork_frame of switch_to.h. What the generations with it share.
 */
public abstract class LayoutsThreadInfoInTask implements Layouts64 {
  @Override
  public long threadSize(Profile p) {
    return 4096L << (2 + (p.optional("KASAN") ? 1 : 0));
  }

  @Override
  public long vmallocStart() {
    return 0xffffc90000000000L;
  }

  @Override
  public long irqStackSize(long threadSize) {
    return threadSize;
  }

  /** thread_info, the first member of task_struct (asm/thread_info.h). */
  abstract StructLayout threadInfo(Profile p, Types t);

  @Override
  public void addTaskLayouts(Map<String, StructLayout> m, Profile p, Types t, StructLayout ptRegs) {
    m.put("thread_info", threadInfo(p, t));
    m.put("thread_struct", X86Layouts.threadStruct(t));
    StructLayout frame = X86Layouts.inactiveTaskFrame(t);
    m.put("inactive_task_frame", frame);
    m.put("fork_frame", StructLayout.builder("fork_frame", "arch/x86/include/asm/switch_to.h@"
        + p.version()).add("frame", t.struct(frame)).add("regs", t.struct(ptRegs)).build());
  }
}
