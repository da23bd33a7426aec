package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A long session: every process spawned stays parked at its wait point, and a spawn after many of
 * them takes the same steps as the second one (init is woken behind the parked processes and runs
 * after one yield, not after one yield per parked process). Not on 2.4: there init is not woken for
 * the next spawn but still runnable, preempted at the end of its last fork while the child ran
 * first, and goes behind the parked processes as a preempted task does (each yields once per spawn).
 */
class LongSessionSpawnTest {
  static List<Profile> profiles() {
    return Profiles.all().stream().filter(p -> !p.kernel().equals("2.4")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void theSixtiethSpawnTakesAsManyStepsAsTheSecond(Profile p) {
    Machine m = Machine.create(p, 1);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    long[] steps = new long[61];
    for (int i = 1; i <= 60; i++) {
      long before = m.timeline().steps();
      Outcome o = m.spawn("p" + i);
      assertThat(o.stop()).as("spawn %d", i).isEqualTo(Outcome.Stop.DONE);
      steps[i] = m.timeline().steps() - before;
      assertThat(o.events().stream().filter(e -> e instanceof kstack.trace.Event.YieldForCommand))
          .as("spawn %d yields once at most", i).hasSizeLessThanOrEqualTo(1);
    }
    assertThat(steps[60]).isEqualTo(steps[2]);
    assertThat(m.kernel().pids.tasks()).hasSizeGreaterThanOrEqualTo(61);
  }
}
