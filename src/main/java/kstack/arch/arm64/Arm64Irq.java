package kstack.arch.arm64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.kernel.Kernel;

/**
 * What every generation's IRQ path shares: the flow handler of the acknowledged interrupt, the
 * on-the-thread-stack test, and the timer PPI's handler (kernel/irq/chip.c, arm_arch_timer.c).
 */
final class Arm64Irq {
  enum L implements Local { desc, dev_id, irq }

  private Arm64Irq() {}

  static final String GIC = "drivers/irqchip/irq-gic-v3.c";

  /** on_thread_stack(): SP lies in current's task stack. */
  static boolean onThreadStack(Kernel k, Exec x) {
    return Long.compareUnsigned(x.sp() - k.stacks.stack(k.current(x)), k.threadSize) < 0;
  }

  /** The flow handler of the acknowledged interrupt: the timer PPI 27 is per-CPU. */
  static long flowHandler(Kernel k, Exec x) {
    return k.image.symbol(x.reg(Regs.gic_iar) == 27 ? "handle_percpu_devid_irq" : "handle_edge_irq");
  }

  /** The IRQ stack's top on this CPU: irq_stack_ptr + IRQ_STACK_SIZE. */
  static long irqStackTop(Kernel k, Exec x) {
    return x.read(k.perCpu("irq_stack_ptr", x.cpu().id())) + k.threadSize;
  }

  static void buildTimer(Kernel k) {
    k.image.add(k.image.c("handle_percpu_devid_irq", "kernel/irq/chip.c").params(L.desc)
        .call("action->handler(irq, raw_cpu_ptr(action->percpu_dev_id)) = arch_timer_handler_virt",
            "arch_timer_handler_virt", Args.of(x -> 27, x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("arch_timer_handler_virt", "drivers/clocksource/arm_arch_timer.c")
        .params(L.irq, L.dev_id)
        .call("timer_handler() [inline]: evt->event_handler(evt) = hrtimer_interrupt",
            "hrtimer_interrupt", Args.of(x -> 0))
        .ret("return IRQ_HANDLED", x -> 1).build());
  }
}
