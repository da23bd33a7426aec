package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.catalog.Arches;
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

  @Test
  void aGenerationWhoseSmpBringUpIsNotModelledRefusesASecondCpuSayingWhereTheBringUpLives() {
    assertThatThrownBy(() -> CpuLimits.check(Profiles.i386_2_4(), 2))
        .hasMessage("--cpus 2: the " + Profiles.i386_2_4().label() + " profile runs one CPU; "
            + Arches.forProfile(Profiles.i386_2_4()).smpBringUpMissing())
        .hasMessageContaining("arch/i386/kernel/smpboot.c@2.4.22");
    assertThatThrownBy(() -> CpuLimits.check(Profiles.i386_2_6_11(), 2))
        .hasMessageContaining("2.6.11's SMP bring-up").hasMessageContaining("head.S@2.6.11");
    assertThat(Arches.forProfile(Profiles.i386_2_6_32()).smpBringUpMissing()).isNull();
  }

  @Test
  void theSixtyFourBitArchesBootSixtyFourCpusAndSayWhereTheLimitComesFrom() {
    for (Profile p : List.of(Profiles.x86_64_6_19(), Profiles.arm64_4_16())) {
      assertThat(CpuLimits.nrCpus(p)).isEqualTo(64);
      assertThatThrownBy(() -> CpuLimits.check(p, 65)).hasMessageContaining("between 1 and 64")
          .hasMessageContaining("default \"64\" if SMP");
    }
  }
}
