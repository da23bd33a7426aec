package kstack.cli;

import static kstack.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kstack.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** kstack run parsed without picocli means what picocli's parse means, or goes to picocli. */
class LeanRunTest {

  /** What picocli's full model makes of run's arguments. */
  private static Main.Run picocli(String... args) {
    CommandLine.ParseResult pr = new CommandLine(new Main()).parseArgs(args);
    return (Main.Run) pr.subcommand().commandSpec().userObject();
  }

  private static List<Object> fields(Main.Run r) {
    return List.of(String.valueOf(r.scenario), r.commands, r.json, r.interactive,
        String.valueOf(r.btf), String.valueOf(r.machine.arch), String.valueOf(r.machine.kernel),
        r.machine.config, r.machine.cpus);
  }

  @Test
  void plainRunArgumentsGiveTheRunPicocliGives() {
    String[][] cases = {
        {"run"},
        {"run", "boot"},
        {"run", "-e", "boot"},
        {"run", "-e", "boot", "-e", "spawn sh", "-e", "bt"},
        {"run", "calls", "--json", "-e", "p $rsp"},
        {"run", "--arch", "i386", "--kernel", "2.4", "--cpus", "4", "-e", "boot"},
        {"run", "--config", "KASAN=y", "--config", "VMAP_STACK=n", "-i"},
        {"run", "--interactive", "--btf", "host", "fork"},
        {"run", "--cpus", "0", "-e", "boot", "--arch", "arm64"},
        {"run", "-e", "x/4gx 0x1000", "--json"},
    };
    for (String[] args : cases) {
      Main.Run lean = LeanRun.parse(args);
      assertThat(lean).as(String.join(" ", args)).isNotNull();
      assertThat(fields(lean)).as(String.join(" ", args)).isEqualTo(fields(picocli(args)));
    }
  }

  @Test
  void anythingButPlainOptionsGoesToPicocli() {
    String[][] cases = {
        {}, {"scenarios"}, {"run", "--help"}, {"run", "-h"}, {"run", "-V"},
        {"run", "--arch=i386"}, {"run", "-eboot"}, {"run", "-ie", "boot"}, {"run", "--bogus"},
        {"run", "-e"}, {"run", "-e", "--json"}, {"run", "-e", "-1"}, {"run", "-e", ""},
        {"run", "@args"}, {"run", "-e", "@args"}, {"run", "a", "b"}, {"run", "--", "boot"},
        {"run", "--json", "--json"}, {"run", "-i", "--interactive"}, {"run", "--arch", "x", "--arch", "y"},
        {"run", "--cpus", "+2"}, {"run", "--cpus", "0x2"}, {"run", "--cpus", "99999999999"},
        {"run", ""}, {"run", "-"}, {"rnu", "-e", "boot"},
    };
    for (String[] args : cases) {
      assertThat(LeanRun.parse(args)).as(String.join(" ", args)).isNull();
    }
  }

  @Test
  void theLeanOptionsAreRunsOptionsButHelpAndVersion() {
    Set<String> picocli = new HashSet<>();
    for (OptionSpec o : new CommandLine(new Main()).getSubcommands().get("run").getCommandSpec()
        .options()) {
      picocli.addAll(List.of(o.names()));
    }
    Set<String> lean = new HashSet<>(LeanRun.VALUED);
    lean.addAll(LeanRun.FLAGS);
    lean.addAll(List.of("-h", "--help", "-V", "--version"));
    assertThat(lean).isEqualTo(picocli);
  }

  @Test
  void aRunPicocliParsesPrintsWhatTheLeanRunPrints() {
    Run lean = run("run", "--arch", "i386", "-e", "boot", "-e", "bt", "-e", "frobnicate");
    Run full = run("run", "--arch=i386", "-e", "boot", "-e", "bt", "-e", "frobnicate");
    assertThat(lean.code()).isEqualTo(1);
    assertThat(lean).isEqualTo(full);
    Run badProfile = run("run", "--arch", "sparc", "-e", "boot");
    assertThat(badProfile.code()).isEqualTo(2);
    assertThat(badProfile).isEqualTo(run("run", "--arch=sparc", "-e", "boot"));
  }
}
