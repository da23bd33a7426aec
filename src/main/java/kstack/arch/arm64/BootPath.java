package kstack.arch.arm64;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How one generation's head.S reaches C: the boot CPU's path from its entry point to start_kernel
 * (the first stack, SP_EL0 = init_task, the first frame record) and the secondary CPUs' path to
 * secondary_start_kernel. {@link Arm64Boot} holds what every generation shares.
 */
interface BootPath extends Module {
  /** Where the boot CPU starts (the image's entry point in head.S). */
  String entrySymbol();

  /** The boot CPU's head.S routines, entry point to start_kernel. */
  void buildPrimary(Kernel k);

  /** __cpu_up's step: what secondary_data tells the AP before PSCI CPU_ON. */
  String cpuUpText();

  /** __secondary_switched after VBAR_EL1 is set: the AP's stack, current, and the call into C. */
  void secondarySwitched(Kernel k, RoutineBuilder s);
}
