package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code bench --json} (read by checks outside the project): one object per
 * profile, one per line, with exactly the named figures and their types. A tiny run, so that only
 * names and types are checked, never times.
 */
class BenchJsonTest {
  private static final List<String> NUMBERS = List.of("getpid_ns", "getpid_trace_off_ns",
      "yield_pair_ns", "fork_ns",
      "heap_bytes_per_task", "history_bytes_per_step", "reverse_ns_per_step", "steps_per_getpid");

  @Test
  void benchJsonPrintsOneObjectPerProfileWithEveryNamedFigureOfTheRightType() throws Exception {
    CliTest.Run r = CliTest.run("bench", "--json", "-n", "8", "--repeat", "2", "--warmup", "0",
        "--tasks", "4,6");
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    List<Profile> all = Profiles.all();
    assertThat(lines).hasSize(all.size());
    List<String> seen = new ArrayList<>();
    for (String line : lines) {
      JsonNode o = new ObjectMapper().readTree(line);
      assertThat(o.get("arch").isTextual()).isTrue();
      assertThat(o.get("kernel").isTextual()).isTrue();
      seen.add(o.get("arch").asText() + " " + o.get("kernel").asText());
      for (JsonNode figures : List.of(o, o.get("min"))) {
        for (String name : NUMBERS) {
          assertThat(figures.get(name)).as(line + ": " + name).isNotNull();
          assertThat(figures.get(name).isNumber()).as(line + ": " + name).isTrue();
        }
        JsonNode at = figures.get("fork_ns_at_tasks");
        assertThat(at.isObject()).isTrue();
        assertThat(at.size()).as(line).isEqualTo(2);
        at.fields().forEachRemaining(e -> {
          assertThat(e.getKey()).isIn("4", "6");
          assertThat(e.getValue().isIntegralNumber()).isTrue();
        });
      }
      assertThat(o.get("steps_per_getpid").asDouble()).as(line).isPositive();
    }
    assertThat(seen).containsExactlyElementsOf(all.stream().map(p -> p.arch() + " " + p.kernel())
        .toList());
  }

  @Test
  void benchTextSaysItWarmsUpAndGivesMinAndMedian() {
    CliTest.Run r = CliTest.run("bench", "--arch", "arm64", "--kernel", "6.x", "-n", "8",
        "--repeat", "3", "--warmup", "8", "--tasks", "4");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("warm-up first (not measured): 8 getpids").contains("3 times")
        .contains("== arm64 6.x").contains("fork at 4 tasks").contains("min").contains("median");
  }

  @Test
  void benchRefusesBadCountsWithOneLineAndExitCode2() {
    for (String[] args : List.of(new String[] {"bench", "--repeat", "0"},
        new String[] {"bench", "--tasks", "1"}, new String[] {"bench", "--scale", "0"},
        new String[] {"bench", "--tasks", "5000000"}, new String[] {"bench", "-n", "0"})) {
      CliTest.Run r = CliTest.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().strip()).startsWith("kstack: bench: ").doesNotContain("\n")
          .doesNotContain("Exception");
    }
  }
}
