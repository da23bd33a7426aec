package kstack;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;

/** Machines in the states most tests start from. */
public final class TestMachines {
  private TestMachines() {}

  /** One CPU, booted, with a user process sh (pid 3) current and waiting for a command. */
  public static Machine spawned(Profile p) {
    Machine m = Machine.create(p, 1);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.spawn("sh").stop()).isEqualTo(Outcome.Stop.DONE);
    return m;
  }
}
