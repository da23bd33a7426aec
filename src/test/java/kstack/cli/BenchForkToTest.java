package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --fork-to N}: one machine per profile forks idle tasks until N live, and says how
 * many it reached, the heap they hold and why it stopped sooner where it did. Small counts, so that
 * only what is reported is checked, never how fast.
 */
class BenchForkToTest {
  @Test
  void forkToGivesEveryProfileItsTasksReachedHeapAndWhyItStoppedSooner() throws Exception {
    CliTest.Run r = CliTest.run("bench", "--json", "--fork-to", "330", "-n", "8", "--repeat", "2",
        "--warmup", "0");
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(Profiles.all().size());
    for (String line : lines) {
      JsonNode o = new ObjectMapper().readTree(line);
      assertThat(o.get("target_tasks").asInt()).isEqualTo(330);
      assertThat(o.get("heap_bytes_per_task").isIntegralNumber()).as(line).isTrue();
      assertThat(o.get("seconds").isNumber()).as(line).isTrue();
      assertThat(o.get("gc_seconds").isNumber()).as(line).isTrue();
      assertThat(o.get("gc").asText()).as(line).isNotBlank();
      assertThat(o.get("fork_ns_at_tasks").isObject()).as(line).isTrue();
      assertThat(o.get("min").get("fork_ns_at_tasks").isObject()).as(line).isTrue();
      if (o.get("kernel").asText().equals("2.4")) {
        assertThat(o.get("tasks").asInt()).as(line).isLessThan(330);
        assertThat(o.get("stopped").asText()).as(line).contains("2.4's do_fork");
      } else {
        assertThat(o.get("tasks").asInt()).as(line).isEqualTo(330);
        assertThat(o.get("stopped")).as(line).isNull();
      }
    }
  }

  @Test
  void forkToTimesForksAtAThousandTasksAndSaysHowManyItReached() {
    CliTest.Run r = CliTest.run("bench", "--arch", "x86_64", "--kernel", "6.x", "--fork-to",
        "1010", "-n", "16", "--repeat", "3", "--warmup", "0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("== x86_64 6.x (6.19): fork to 1,010 tasks")
        .contains("fork at 1,000 tasks").contains("min").contains("median")
        .contains("tasks reached").contains("1,010 in").contains("bytes of Java heap")
        .contains("of which garbage collection");
  }

  @Test
  void forkToRefusesACountOutsideTwoToPidMaxLimitWithOneLine() {
    for (String n : List.of("1", "4194305")) {
      CliTest.Run r = CliTest.run("bench", "--arch", "arm64", "--fork-to", n);
      assertThat(r.code()).as(n).isEqualTo(2);
      assertThat(r.err().strip()).startsWith("kstack: bench: --fork-to must be 2..4194304")
          .doesNotContain("\n");
    }
  }
}
