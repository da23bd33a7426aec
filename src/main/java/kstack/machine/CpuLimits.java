package kstack.machine;

import kstack.catalog.Arches;
import kstack.kernel.Arch;
import kstack.profile.Profile;

/**
 * How many CPUs a profile's machine can run, and why not more: the arch's NR_CPUS limit and, where
 * a generation's SMP bring-up is not modelled, one CPU (both the arch's data, {@link Arch#nrCpus}
 * and {@link Arch#smpBringUpMissing}).
 */
public final class CpuLimits {
  private CpuLimits() {}

  /** Whether a profile can run ncpu CPUs; the reason it cannot, as an IllegalArgumentException. */
  public static void check(Profile profile, int ncpu) {
    check(Arches.forProfile(profile), profile, ncpu);
  }

  static void check(Arch arch, Profile profile, int ncpu) {
    int nrCpus = arch.nrCpus();
    if (ncpu < 1 || ncpu > nrCpus) {
      throw new IllegalArgumentException("--cpus must be between 1 and " + nrCpus + " on the "
          + profile.label() + " profile (" + arch.nrCpusWhy() + ")");
    }
    String missing = arch.smpBringUpMissing();
    if (ncpu > 1 && missing != null) {
      throw new IllegalArgumentException("--cpus " + ncpu + ": the " + profile.label()
          + " profile runs one CPU; " + missing);
    }
  }

  /** The most CPUs a profile runs: the arch's NR_CPUS as this model boots it. */
  public static int nrCpus(Profile profile) {
    return Arches.forProfile(profile).nrCpus();
  }
}
