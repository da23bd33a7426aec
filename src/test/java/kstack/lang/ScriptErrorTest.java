package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kstack.machine.Machine;
import kstack.profile.Profiles;
import org.junit.jupiter.api.Test;

/** An error is one line whatever bytes the names in it hold. */
class ScriptErrorTest {
  @Test
  void anErrorStaysOneLineWhateverBytesANameHolds() {
    Session s = new Session(Machine.create(Profiles.all().get(0), 1));
    assertThatThrownBy(() -> s.execute(Source.commandLine(1, "break a\nb\u0007\u0085c")))
        .isInstanceOf(ScriptError.class)
        .extracting(e -> ((ScriptError) e).located())
        .asString().doesNotContain("\n", "\u0007", "\u0085")
        .contains("no function named a\\nb\\x07\\x85c in the");
  }

  @Test
  void aFileNameWithAControlCharacterIsEscapedToo() {
    assertThat(new ScriptError("a\nb.ks", 1, 1, "bad").located()).isEqualTo("a\\nb.ks:1:1: bad");
  }
}
