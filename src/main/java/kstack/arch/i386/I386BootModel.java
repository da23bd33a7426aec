package kstack.arch.i386;

import java.util.List;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How an i386 generation boots: head.S / head_32.S, the boot CPU's and the APs' per-CPU set-up,
 * INIT_THREAD and smpboot. The profile table picks one per profile.
 */
public interface I386BootModel extends Module {
  /** The boot routines: startup_32, start_secondary, the TSS and per-CPU set-up. */
  void buildBoot(Kernel k);

  /** The boot data the linker places (stack_start, init_tss or the per-CPU TSS). */
  void linkData(Kernel k, Linker l);

  /** The per-CPU variables of this generation (none on 2.4, which keeps NR_CPUS arrays). */
  List<PerCpuVar> perCpuVars(Kernel k);

  void initPerCpu(Kernel k, int cpu);

  /** INIT_THREAD and INIT_THREAD_INFO for the boot task. */
  void initThread(Kernel k, long initTask);

  /** A CPU's registers at power-on / INIT-SIPI. */
  void powerOn(Kernel k, int cpu);

  /** The routine that starts an AP: native_cpu_up, or native_kick_ap once startup is split. */
  default String cpuUpSymbol() {
    return "native_cpu_up";
  }

  /** Why this generation boots one CPU only (its SMP bring-up is not modelled), or null. */
  default String smpBringUpMissing() {
    return null;
  }
}
