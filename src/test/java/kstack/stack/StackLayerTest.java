package kstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kstack.stack holds the value types both the machine and the arch code use (Frame, StackWord,
 * StackRange, the kinds); it sits below both, so none of its sources may name a class of
 * kstack.machine or kstack.arch, by import or fully qualified.
 */
class StackLayerTest {
  private static final Path SOURCES = Path.of("src/main/java/kstack/stack");
  private static final Pattern UPWARD = Pattern.compile("\\bkstack\\.(machine|arch)\\.\\w");

  @Test
  void stackValueTypesNameNeitherMachineNorArch() throws IOException {
    List<String> upward = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        if (UPWARD.matcher(lines.get(i)).find()) {
          upward.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("Frame.java", "StackWord.java", "StackRange.java", "StackKind.java",
            "WordKind.java", "package-info.java");
    assertThat(upward).as("kstack.stack must stay below kstack.machine and kstack.arch").isEmpty();
  }
}
