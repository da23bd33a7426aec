package kstack.kernel;

import kstack.profile.Module;

/**
 * The generic half of an interrupt as one generation implements it: hardirq accounting and the
 * softirqs run on the way out (kernel/softirq.c), the flow handler and the device's handler
 * (kernel/irq/), the tick (hrtimers or the timer list) and, on 6.x, the generic entry code's exit
 * work. The arch's entry code decides which stack all of this runs on.
 */
public interface IrqCore extends Module {
  /** Adds the generation's interrupt routines to the image, in its order. */
  void build(Kernel k);

  /** The tick's handler: the name the machine's per-CPU tick timer carries. */
  String tickHandler();
}
