package kstack.cli;

import static kstack.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import kstack.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each subcommand's output and usage go, and how unreadable scenario names are reported. */
class CliUsageTest {

  @Test
  void scenariosShowPrintsTheScenarioText() {
    Run r = run("scenarios", "--show", "boot");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("break start_kernel").endsWith("\n");
    Run missing = run("scenarios", "--show", "no\nsuch");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("kstack: no built-in scenario no\\nsuch\n");
  }

  @Test
  void everySubcommandsHelpGoesToStdoutWithExitCode0() {
    for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"scenarios", "--help"},
        {"diff", "--help"}, {"bench", "--help"}, {"--version"}}) {
      Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).isNotEmpty();
      assertThat(r.err()).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void usageWithoutASubcommandGoesToStderrWithExitCode2() {
    Run r = run();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Usage: kstack");
    Run bad = run("run", "--bogus");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).isEqualTo("kstack: Unknown option: '--bogus'\nTry 'kstack run --help'.\n");
  }

  @Test
  void anEmptyScenarioNameIsAUsageErrorNotTheCurrentDirectory() {
    Run r = run("run", "");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kstack: run: the scenario name is empty")
        .doesNotContain("directory");
    assertThat(run("diff", "--a", "x86_64:4.16", "--b", "x86_64:6.x", "").code()).isEqualTo(2);
  }

  @Test
  void anUnreadableScenarioSaysWhyWithItsPath(@TempDir Path dir) throws Exception {
    Run d = run("run", dir.toString());
    assertThat(d.code()).isEqualTo(1);
    assertThat(d.err()).isEqualTo(dir + ":1:1: is a directory, not a scenario file\n");
    Path f = Files.writeString(dir.resolve("plain"), "p 1\n");
    Run under = run("run", f + "/x.ks");
    assertThat(under.code()).isEqualTo(1);
    assertThat(under.err()).isEqualTo(f + "/x.ks:1:1: cannot read scenario: Not a directory\n");
  }

  @Test
  void runningOutOfHeapOrJavaStackNamesWhichAndTheJvmOptionOnOneLine() {
    assertThat(kstack.lang.Session.exhausted(new OutOfMemoryError("Java heap space")))
        .startsWith("out of memory (the Java heap, at most ").contains("-Xmx").doesNotContain("\n");
    assertThat(kstack.lang.Session.exhausted(new StackOverflowError()))
        .startsWith("out of Java stack").contains("-Xss");
  }

  @Test
  void aCommentOrBlankDashEIsSkippedAsSuchALineInAFileIs() {
    Run r = run("run", "-e", "#", "-e", "  ", "-e", "p 3 # three", "-e", "# the end");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("(kstack) p 3\n$1 = 3\n").doesNotContain("(kstack) #");
  }
}
