package kstack.arch.arm64;

import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How one generation takes an IRQ: the el0/el1 IRQ vectors, the move to the per-CPU IRQ stack
 * (4.16's irq_stack_entry macro, 6.19's call_on_irq_stack) and the GIC driver's path to the flow
 * handler. {@link Arm64Irq} holds what every generation shares.
 */
interface IrqEntry extends Module {
  /** The IRQ vectors' code and what it calls, up to the flow handler. */
  void build(Kernel k, Arm64Entry e);
}
