package kstack.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kstack.TestMachines;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code stack --draw} of sh stopped inside write(2) prints exactly its golden diagram on every
 * profile (and i386 2.6.11 with 4KSTACKS): src/test/resources/golden/draw/PROFILE.txt. Regenerate
 * with {@code mvn -B test -Dtest=DrawGoldenTest -Dkstack.golden.update=true} and review the diff.
 */
class DrawGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/draw");

  static java.util.List<Profile> profiles() {
    return DrawingsTest.profiles();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void stackDrawInsideWritePrintsItsGoldenDiagram(Profile p) throws IOException {
    Session s = new Session(TestMachines.spawned(p));
    s.execute(Source.commandLine(1, "break " + TestMachines.insideWrite(p)));
    s.execute(Source.commandLine(2, "syscall write(1, \"x\")"));
    String out = String.join("\n", s.execute(Source.commandLine(3, "stack --draw")).text()) + "\n";
    String name = p.arch() + "-" + p.kernel() + (p.optional("4KSTACKS") ? "-4KSTACKS" : "");
    Path golden = DIR.resolve(name + ".txt");
    if (Boolean.getBoolean("kstack.golden.update")) {
      Files.createDirectories(DIR);
      Files.writeString(golden, out, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file (create it with -Dkstack.golden.update=true)").exists();
    assertThat(out).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
