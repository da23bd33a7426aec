package kstack.arch.arm64;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * __bad_stack → handle_bad_stack (entry.S@4.16.13:445-464, @6.19:541-567; traps.c): where
 * kernel_ventry sends an SP that left its stack (CONFIG_VMAP_STACK only).
 */
final class Arm64BadStack {
  enum L implements Local { regs }

  private Arm64BadStack() {}

  /** source: the file (and function) of the report, which the generation names. */
  static void build(Kernel k, Arm64Entry e, String source) {
    RoutineBuilder b = k.image.asm("__bad_stack", Arm64Entry.ENTRY)
        .step("mrs x0, tpidrro_el0 (x0 back); sub sp, sp, #S_FRAME_SIZE", x -> {
          x.set(Regs.x0, x.reg(Regs.tpidrro_el0));
          x.setSp(x.sp() - Arm64Entry.S_FRAME_SIZE);
        });
    e.kernelEntry(b, 1)
        .step("mrs x0, tpidr_el0; add x0, x0, #S_FRAME_SIZE; str x0, [sp, #S_SP]: the real "
            + "interrupted SP", x -> x.write(x.sp() + Arm64Entry.S_SP,
                x.reg(Regs.tpidr_el0) + Arm64Entry.S_FRAME_SIZE))
        .call("mov x0, sp; bl handle_bad_stack", "handle_bad_stack", Args.of(x -> x.sp()))
        .step("ASM_BUG()", x -> { });
    k.image.add(b.build());
    k.image.add(k.image.c("handle_bad_stack", source).params(L.regs)
        .step("console_verbose(); report: no stack space for the exception; ESR, FAR; the task, "
            + "IRQ and overflow stacks' bounds; __show_regs(regs)", x -> {
              int cpu = x.cpu().id();
              long task = k.current(x);
              long ts = k.stacks.stack(task);
              long irq = x.read(k.perCpu("irq_stack_ptr", cpu));
              long ov = k.perCpu("overflow_stack", cpu);
              k.timeline.emit(new Event.BadStack(cpu, x.reg(Regs.esr_el1), x.reg(Regs.far_el1),
                  ts, ts + k.threadSize, irq, irq + k.threadSize, ov, ov + 4096, k.tasks.pid(task),
                  k.tasks.comm(task)));
            })
        .step("nmi_panic(NULL, \"kernel stack overflow\"); cpu_park_loop()", x -> {
          k.timeline.emit(new Event.Panic(x.cpu().id(),
              "Kernel panic - not syncing: kernel stack overflow"));
          k.panic("Kernel panic - not syncing: kernel stack overflow");
          x.stay();
        })
        .retVoid().build());
  }
}
