package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./kstack launcher, run by bash on a copy of it with stand-ins for mvn and java that only say
 * what they were asked: it rebuilds exactly when a source file or directory is newer than the jar,
 * records the class archive once per build (with the dynamic archive when the java refuses
 * -XX:AOTCacheOutput, as Java 17 does), maps it on later runs, and leaves it for --version.
 */
class LauncherTest {
  @TempDir
  Path dir;
  private Path proj;
  private Path log;

  @BeforeEach
  void project() throws IOException {
    proj = Files.createDirectories(dir.resolve("proj"));
    Files.copy(Path.of("kstack"), proj.resolve("kstack"));
    Files.createDirectories(proj.resolve("src/main/java/a"));
    Files.writeString(proj.resolve("src/main/java/a/A.java"), "class A {}\n");
    Files.writeString(proj.resolve("pom.xml"), "<project/>\n");
    Files.createDirectories(proj.resolve("target"));
    log = dir.resolve("log");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    script(bin.resolve("mvn"), "echo mvn >>'" + log + "'; touch target/kstack.jar");
    script(bin.resolve("java"), "echo \"java $*\" >>'" + log + "'\n"
        + "for a in \"$@\"; do case \"$a\" in\n"
        + "  -XX:AOTCacheOutput=*) exit 1 ;;\n"
        + "  -XX:ArchiveClassesAtExit=*) touch \"${a#*=}\" ;;\n"
        + "esac; done");
  }

  private static void script(Path p, String body) throws IOException {
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs the launcher; returns the lines mvn and java logged during the run. */
  private List<String> launch(String... args) throws Exception {
    Files.deleteIfExists(log);
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", proj.resolve("kstack").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  /** Sets a file's modification time, seconds from now. */
  private void age(String file, int seconds) throws IOException {
    Files.setLastModifiedTime(proj.resolve(file),
        FileTime.fromMillis(System.currentTimeMillis() + seconds * 1000L));
  }

  private static long count(List<String> lines, String part) {
    return lines.stream().filter(l -> l.contains(part)).count();
  }

  /** The jar and archive made as a build and its training run leave them, sources older. */
  private void built() throws Exception {
    launch("run");
    for (String f : List.of("src/main/java/a/A.java", "src/main/java/a", "src/main/java",
        "src/main", "pom.xml")) {
      age(f, -100);
    }
    age("target/kstack.jar", -50);
    age("target/kstack.jsa", -40);
  }

  @Test
  void aMissingJarIsBuiltAndTheArchiveRecordedOnceAfterTheJavaRefusesAnAotCache() throws Exception {
    List<String> first = launch("run", "-e", "boot");
    assertThat(count(first, "mvn")).isEqualTo(1);
    assertThat(count(first, "AOTCacheOutput")).isEqualTo(1);
    assertThat(count(first, "ArchiveClassesAtExit")).isEqualTo(1);
    assertThat(first.get(first.size() - 1)).contains("-XX:SharedArchiveFile=")
        .endsWith("run -e boot");
    assertThat(proj.resolve("target/kstack.jsa.java")).exists();
  }

  @Test
  void aBuiltJarRunsWithNoBuildAndNoTraining() throws Exception {
    built();
    List<String> again = launch("run", "-e", "boot");
    assertThat(again).hasSize(1);
    assertThat(again.get(0)).contains("-XX:SharedArchiveFile=").endsWith("run -e boot");
  }

  @Test
  void benchForkToRunsOnTheParallelCollectorAndEveryOtherCommandOnSerial() throws Exception {
    built();
    for (String[] args : List.of(new String[] {"bench", "--fork-to", "1000"},
        new String[] {"bench", "--json", "--fork-to=1000"})) {
      String line = launch(args).get(0);
      assertThat(line).contains("-XX:+UseParallelGC -XX:NewRatio=7")
          .doesNotContain("-XX:+UseSerialGC");
    }
    for (String[] args : List.of(new String[] {"bench"}, new String[] {"run", "-e", "--fork-to"})) {
      String line = launch(args).get(0);
      assertThat(line).contains("-XX:+UseSerialGC").doesNotContain("-XX:+UseParallelGC")
          .doesNotContain("NewRatio");
    }
  }

  @Test
  void aSourceNewerThanTheJarRebuilds() throws Exception {
    built();
    age("src/main/java/a/A.java", -10);
    assertThat(count(launch("run"), "mvn")).isEqualTo(1);
  }

  @Test
  void aNewFileInANewDirectoryRebuilds() throws Exception {
    built();
    Files.createDirectories(proj.resolve("src/main/java/b"));
    Files.writeString(proj.resolve("src/main/java/b/.B.java"), "class B {}\n");
    assertThat(count(launch("run"), "mvn")).isEqualTo(1);
  }

  @Test
  void aNewerPomRebuildsAndVersionRecordsNoArchive() throws Exception {
    built();
    age("pom.xml", -10);
    List<String> v = launch("--version");
    assertThat(count(v, "mvn")).isEqualTo(1);
    assertThat(v).hasSize(2);
    assertThat(v.get(1)).contains("-Xshare:auto").endsWith("--version");
  }
}
