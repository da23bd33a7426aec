package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An error is one line whatever bytes the names in it hold. */
class ScriptErrorTest {
  @Test
  void anErrorStaysOneLineWhateverBytesANameHolds() {
    // a name read from memory (a comm an overflow overwrote) can hold any byte
    assertThat(new ScriptError("-e", 1, 7, "no function named a\nb\u0007\u0085c").located())
        .doesNotContain("\n", "\u0007", "\u0085")
        .isEqualTo("-e:1:7: no function named a\\nb\\x07\\x85c");
  }

  @Test
  void aFileNameWithAControlCharacterIsEscapedToo() {
    assertThat(new ScriptError("a\nb.ks", 1, 1, "bad").located()).isEqualTo("a\\nb.ks:1:1: bad");
  }
}
