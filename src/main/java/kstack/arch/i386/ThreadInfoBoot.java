package kstack.arch.i386;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.PerCpuVar;
import kstack.layout.Types;
import kstack.trace.Event;

/**
 * The boot pieces of the i386 generations with thread_info at the base of the stack (2.6.11 and
 * 2.6.32, docs/research/i386-and-2.x.md §2.1, §3.1): head.S's lss stack_start onto the top of
 * init_thread_union, and the per-CPU area: init_tss, the irq_ctx pointers and, where the
 * generation has them, a per-CPU current_task and stack_canary (each generation's Boot module says
 * which, as data).
 */
final class ThreadInfoBoot {
  private ThreadInfoBoot() {}

  /** perCpuCurrent: a per-CPU current_task (2.6.32); stackCanary: the %gs:20 stack_canary. */
  static List<PerCpuVar> perCpuVars(Kernel k, boolean perCpuCurrent, boolean stackCanary) {
    Types t = k.t;
    List<PerCpuVar> v = new ArrayList<>();
    if (k.profile.config("4KSTACKS")) {
      // DEFINE_PER_CPU_PAGE_ALIGNED(union irq_ctx, hardirq_stack / softirq_stack) (irq_32.c@2.6.32:64-65)
      v.add(new PerCpuVar("hardirq_stack", t.array(t.u8, (int) k.threadSize), 4096,
          "union irq_ctx: a thread_info at the base, the hardirq stack above it"));
      v.add(new PerCpuVar("softirq_stack", t.array(t.u8, (int) k.threadSize), 4096,
          "union irq_ctx for softirqs"));
    }
    v.add(new PerCpuVar("init_tss", t.struct(k.image.struct("tss_struct")), 64,
        "DEFINE_PER_CPU_SHARED_ALIGNED = INIT_TSS (init_task.c@2.6.32:41)"));
    if (perCpuCurrent) {
      v.add(new PerCpuVar("current_task", t.ptrTo("task_struct"), 4,
          "= &init_task (cpu/common.c@2.6.32:1053)"));
    }
    if (stackCanary) {
      // 2.6.11 has neither a stack protector nor a kernel %gs
      v.add(new PerCpuVar("stack_canary", t.array(t.u8, 24), 4,
          "struct stack_canary { char __pad[20]; unsigned long canary; }: %gs:20"));
    }
    v.add(new PerCpuVar("hardirq_ctx", t.voidp, 4, "union irq_ctx * (irq_32.c@2.6.32:61)"));
    v.add(new PerCpuVar("softirq_ctx", t.voidp, 4, "union irq_ctx * (irq_32.c@2.6.32:62)"));
    v.add(new PerCpuVar("cpu_number", t.s32, 4, "setup_percpu.c"));
    v.add(new PerCpuVar("this_cpu_off", t.ulong, 4, "setup_percpu.c"));
    return v;
  }

  static void initPerCpu(Kernel k, int cpu, boolean perCpuCurrent) {
    long base = k.perCpuOffset(cpu);
    if (perCpuCurrent) {
      k.writePtr(base + k.image.symbol("current_task"), k.image.symbol("init_task"));
    }
    // INIT_TSS (processor.h@2.6.32:928-938): sp0 = the top of init_stack, ss0, ss1, no io bitmap
    I386Boot.initTss(k, base + k.image.symbol("init_tss"), k.image.symbol("init_stack") + k.threadSize);
    k.mem.write(base + k.image.symbol("cpu_number"), 4, cpu);
    k.writePtr(base + k.image.symbol("this_cpu_off"), base);
  }

  static void powerOn(Kernel k, int cpu) {
    I386Boot.powerOn(k, cpu, "init_tss");
  }

  /** head.S's lss stack_start, %esp then pushl $0; popfl (2.6.11 and 2.6.32 alike). */
  static RoutineBuilder lssStackStart(Kernel k, RoutineBuilder b, String text) {
    return b.step(text, x -> {
      x.setSp(x.read(k.image.symbol("stack_start")));
      k.timeline.emit(new Event.BootStack(x.cpu().id(), "startup_32", "esp",
          "stack_start", x.sp()));
    })
        .step("pushl $0; popfl: clear EFLAGS", x -> {
          x.push(0);
          x.set(Regs.eflags, x.pop() | 0x2);
        });
  }
}
