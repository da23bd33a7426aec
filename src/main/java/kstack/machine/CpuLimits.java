package kstack.machine;

import kstack.profile.Profile;

/** How many CPUs a profile's machine can run, and why not more. */
public final class CpuLimits {
  private CpuLimits() {}

  /** Whether a profile can run ncpu CPUs; the reason it cannot, as an IllegalArgumentException. */
  public static void check(Profile profile, int ncpu) {
    int nrCpus = nrCpus(profile);
    if (ncpu < 1 || ncpu > nrCpus) {
      throw new IllegalArgumentException("--cpus must be between 1 and " + nrCpus + " on the "
          + profile.label() + " profile" + (profile.arch().equals("i386") && nrCpus == 8
          ? " (NR_CPUS: arch/x86/Kconfig's default and limit for X86_32 without X86_BIGSMP is 8, "
              + "@2.6.32.67, @4.16.13 and @6.19 alike)" : " (the most this model boots; x86_64's "
              + "NR_CPUS defaults to 64, arch/x86/Kconfig: default \"64\" if SMP)"));
    }
    if (ncpu > 1 && profile.has(kstack.profile.Feature.TASK_UNION)) {
      throw new IllegalArgumentException("--cpus " + ncpu + ": the " + profile.label()
          + " profile runs one CPU; 2.4's SMP bring-up (smp_boot_cpus, do_boot_cpu's trampoline, "
          + "initialize_secondary, the per-CPU idle tasks from fork_by_hand) is not modelled "
          + "(arch/i386/kernel/smpboot.c@2.4.22:483-911)");
    }
    if (ncpu > 1 && profile.has(kstack.profile.Feature.PT_REGS_60)) {
      throw new IllegalArgumentException("--cpus " + ncpu + ": the " + profile.label()
          + " profile runs one CPU; 2.6.11's SMP bring-up (smp_boot_cpus, do_boot_cpu with "
          + "fork_idle, head.S's initialize_secondary) is not modelled "
          + "(arch/i386/kernel/smpboot.c@2.6.11; head.S@2.6.11:316-323)");
    }
  }

  /**
   * The most CPUs a profile runs: i386's CONFIG_NR_CPUS, 8 (arch/x86/Kconfig: range 2 8 and
   * default "8" if SMP && X86_32 && !X86_BIGSMP, @2.6.32.67 and @4.16.13; 6.19 dropped BIGSMP);
   * elsewhere 64, x86_64's default (default "64" if SMP), which the model boots on every 64-bit
   * profile.
   */
  public static int nrCpus(Profile profile) {
    return profile.arch().equals("i386") ? 8 : 64;
  }
}
