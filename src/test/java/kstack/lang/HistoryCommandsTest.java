package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** set max-steps (the runaway limit the user sets) and info history, on every profile. */
class HistoryCommandsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static Result run(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aCommandLongerThanMaxStepsIsStoppedWithTheLimitAndHowToRaiseIt(Profile p) {
    Session s = new Session(Machine.create(p, 1));
    assertThat(run(s, "set max-steps 50").text())
        .containsExactly("A command is stopped as a runaway after 50 steps.");
    assertThat(s.machine().maxSteps()).isEqualTo(50);
    assertThatThrownBy(() -> run(s, "boot"))
        .hasMessageContaining("'boot' did not finish within 50 steps")
        .hasMessageContaining("'set max-steps N' allows more");
    run(s, "set max-steps 5000000");
    run(s, "boot"); // the same machine, continued to the end of its boot under the raised limit
    assertThat(s.machine().kernel().pids.findTask(1)).isNotZero();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void infoHistorySaysHowManyStepsCanBeTakenBackAndTheJournalsSize(Profile p) {
    Session s = new Session(Machine.create(p, 1));
    run(s, "boot");
    long steps = s.machine().timeline().steps();
    Result r = run(s, "info history");
    assertThat(r.text().get(0)).isEqualTo(steps + " of " + steps
        + " steps can be taken back (reverse-stepi): every step since power-on is kept");
    assertThat(r.text().get(1)).startsWith("journal: " + s.machine().timeline().historyBytes()
        + " bytes (");
    assertThat(r.text().get(2)).isEqualTo(
        "a command is stopped as a runaway after 5000000 steps (set max-steps N)");
    run(s, "reverse-stepi 10");
    assertThat(run(s, "info history").text().get(0)).startsWith((steps - 10) + " of "
        + (steps - 10) + " steps");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void setRefusesAnythingButAPositiveMaxSteps(Profile p) {
    Session s = new Session(Machine.create(p, 1));
    assertThatThrownBy(() -> run(s, "set max-steps 0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> run(s, "set max-steps")).hasMessageContaining("usage: set max-steps N");
    assertThatThrownBy(() -> run(s, "set width 80")).hasMessageContaining("expected max-steps N");
    assertThat(s.machine().maxSteps()).isEqualTo(5_000_000);
  }
}
