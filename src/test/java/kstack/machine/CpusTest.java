package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** --cpus: 1 to the profile's NR_CPUS is accepted and boots; anything else is refused. */
class CpusTest {
  static java.util.List<Profile> profiles() {
    return Profiles.all();
  }

  /** The largest count a profile accepts. */
  private static int max(Profile p) {
    int n = CpuLimits.nrCpus(p);
    while (n > 1) {
      try {
        CpuLimits.check(p, n);
        return n;
      } catch (IllegalArgumentException refused) {
        n--;
      }
    }
    return 1;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyProfileBootsAtItsLargestAcceptedCpuCount(Profile p) {
    Machine m = Machine.create(p, max(p));
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void zeroNegativeAndHugeCountsAreRefusedWithTheBound(Profile p) {
    for (int n : new int[] {0, -1, Integer.MIN_VALUE, CpuLimits.nrCpus(p) + 1, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> CpuLimits.check(p, n)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--cpus");
    }
  }

  @Test
  void i386RefusesMoreCpusThanItsNrCpusInsteadOfRunningIntoTheStepLimit() {
    assertThatThrownBy(() -> CpuLimits.check(Profiles.i386_4_16(), 33))
        .hasMessageContaining("between 1 and 8").hasMessageContaining("X86_BIGSMP");
    assertThat(Machine.create(Profiles.i386_4_16(), 8).boot().stop()).isEqualTo(Outcome.Stop.DONE);
  }
}
