package kstack.arch.arm64;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How one generation sets up a new task's first switch: copy_thread's arguments and the child's
 * pt_regs and cpu_context, ret_from_fork's way back to user mode, and the few names process.c's
 * neighbours changed. {@link Arm64Process} holds what every generation shares.
 */
interface CopyThread extends Module {
  /** __switch_to's per-thread switches before dsb(ish) that this generation has. */
  String switchExtras();

  /** copy_thread (process.c). */
  void buildCopyThread(Kernel k);

  /** ret_from_fork after a kernel thread's function: what runs before b ret_to_user. */
  void retFromForkToUser(Kernel k, RoutineBuilder rf);

  /** The file of arch_cpu_idle. */
  String archCpuIdleSource();

  /** The file of cpu_do_idle. */
  String cpuDoIdleSource();
}
