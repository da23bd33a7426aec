package kstack.cli;

import static kstack.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import kstack.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A command line with only the named subcommand says what the full command model says. */
class LeanCommandLineTest {

  /** picocli's full model (every subcommand): the exit code, stdout and stderr for args. */
  private static Run full(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everySubcommandsHelpIsTheFullModelsHelp() {
    for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
      String name = c.getAnnotation(Command.class).name();
      Run lean = run(name, "--help");
      assertThat(lean.code()).as(name).isZero();
      assertThat(lean.out()).as(name).startsWith("Usage: kstack " + name)
          .isEqualTo(full(name, "--help").out());
    }
  }

  @Test
  void eachSubcommandNameFindsItsClassAndOthersFindNone() {
    assertThat(LeanCommandLine.subcommand("run")).isEqualTo(Main.Run.class);
    assertThat(LeanCommandLine.subcommand("bench")).isEqualTo(Bench.class);
    assertThat(LeanCommandLine.subcommand("rnu")).isNull();
    assertThat(LeanCommandLine.subcommand("--help")).isNull();
  }

  @Test
  void aLeanCommandLineHoldsOnlyTheNamedSubcommandAndParsesAsTheFullOne() {
    CommandLine cl = LeanCommandLine.of(new Main(), new String[] {"scenarios"});
    assertThat(cl.getSubcommands().keySet()).containsExactly("scenarios");
    assertThat(cl.getCommandSpec().version()).containsExactly(QuickAnswers.VERSION);
    assertThat(LeanCommandLine.of(new Main(), new String[] {"x"}).getSubcommands())
        .hasSize(Main.class.getAnnotation(Command.class).subcommands().length);
    assertThat(run("scenarios").out()).isEqualTo(full("scenarios").out());
    Run bad = run("run", "--bogus");
    assertThat(bad.err()).isEqualTo("kstack: Unknown option: '--bogus'\nTry 'kstack run --help'.\n");
  }
}
