package kstack.cli;

import static kstack.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import kstack.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --version and --help answered without picocli say exactly what picocli would say. */
class QuickAnswersTest {

  /** What picocli itself prints for args (the quick answers bypassed), exit code 0. */
  private static String picocli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void theKeptUsageIsPicoclisRenderingOfTheCommandModel() {
    assertThat(QuickAnswers.usage())
        .as("a command's description changed: write the expected text (picocli's) to "
            + "src/main/resources/kstack/cli/usage.txt")
        .isEqualTo(picocli("--help"));
  }

  @Test
  void versionAndHelpInEitherSpellingPrintWhatPicocliPrints() {
    for (String arg : new String[] {"--version", "-V", "--help", "-h"}) {
      Run r = run(arg);
      assertThat(r.code()).as(arg).isZero();
      assertThat(r.err()).as(arg).isEmpty();
      assertThat(r.out()).as(arg).isEqualTo(picocli(arg));
    }
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    assertThat(QuickAnswers.answer(new String[] {"--version", "x"}, System.out)).isFalse();
    assertThat(QuickAnswers.answer(new String[] {"run"}, System.out)).isFalse();
    assertThat(QuickAnswers.answer(new String[0], System.out)).isFalse();
    Run r = run("--bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kstack: Unknown option: '--bogus'");
    assertThat(run("scenarios").out()).contains("boot");
  }
}
