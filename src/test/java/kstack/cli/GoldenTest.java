package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in scenario on every profile prints exactly its golden output
 * (src/test/resources/golden/ARCH-KERNEL/SCENARIO.out). After an intended change, regenerate with
 * {@code mvn -B test -Dtest=GoldenTest -Dkstack.golden.update=true} and review the diff.
 */
class GoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden");

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      for (String s : Scenarios.BUILTIN.keySet()) {
        out.add(Arguments.of(p.arch(), p.kernel(), s));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void aBuiltInScenarioPrintsItsGoldenOutput(String arch, String kernel, String scenario)
      throws IOException {
    CliTest.Run r = CliTest.run("run", "--arch", arch, "--kernel", kernel, scenario);
    assertThat(r.code()).as(r.err()).isZero();
    Path golden = DIR.resolve(arch + "-" + kernel).resolve(scenario + ".out");
    if (Boolean.getBoolean("kstack.golden.update")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file (create it with -Dkstack.golden.update=true)").exists();
    assertThat(r.out()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
