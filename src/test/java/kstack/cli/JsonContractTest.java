package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * The --json contract in the README lists every field name and every value of the enumerated
 * fields that the output can hold: every command, on every profile, through boot, system calls,
 * forks, interrupts, exceptions, an overflow and failures, is run here and what it printed is
 * looked up in the README's JSON section.
 */
class JsonContractTest {
  /** Fields whose values are a closed set of names, each listed in the README. */
  private static final Set<String> ENUMERATED = Set.of("stop", "stack", "stack_name", "state",
      "kind");
  /** Objects whose keys are data, not contract: struct members, registers, config options. */
  private static final Set<String> DATA_KEYS = Set.of("value", "registers", "config");

  private static final String[] COMMON = {"p init_task.comm", "p/x $sp", "p init_task",
      "ps", "bt", "bt 1", "bt -v", "stack 1", "x/4gx $sp", "x/2i $pc", "struct pt_regs",
      "struct task_struct &init_task", "info registers", "info config", "info breakpoints",
      "info symbol $pc", "console", "cpu", "cpu 0", "help", "break schedule", "info breakpoints",
      "delete", "spawn sh", "break __schedule", "syscall getpid()", "delete", "stepi", "stepi 2",
      "finish", "rsi", "continue", "tick", "irq 3", "call outer(1)", "syscall write(1, \"hi\")",
      "kthread kt", "run", "break kstack_demo_interrupt", "irq 3", "bt", "delete", "continue",
      "bt 999"};
  private static final String[] X86_64 = {"spawn sh", "break default_do_nmi", "nmi", "bt",
      "delete", "continue", "break do_debug", "exception db", "bt", "delete", "continue",
      "exception mc", "bt"};
  /** gdb's value history, convenience variables and types. */
  private static final String[] GDB_VALUES = {"p 1", "p $", "set $t = current", "p $t->pid",
      "whatis $t", "ptype $t", "ptype unsigned long", "display current->pid", "display",
      "info display", "spawn sh", "display *(int *)0", "syscall getpid()", "undisplay 2",
      "undisplay", "tbreak schedule", "kthread kt", "delete", "continue"};
  private static final String[] OVERFLOW = {"spawn sh", "recurse 100000", "bt", "bt -v", "ps",
      "stack", "p 1"};

  @Test
  void everyFieldAndEnumeratedValueTheJsonOutputHoldsIsListedInTheReadme() throws Exception {
    Map<String, Set<String>> values = new TreeMap<>();
    Set<String> keys = new TreeSet<>();
    for (Profile p : Profiles.all()) {
      List<String[]> runs = new ArrayList<>();
      runs.add(COMMON);
      runs.add(OVERFLOW);
      runs.add(GDB_VALUES);
      if (p.arch().equals("x86_64")) {
        runs.add(X86_64);
      }
      for (String[] commands : runs) {
        List<String> args = new ArrayList<>(List.of("run", "--json", "--arch", p.arch(),
            "--kernel", p.kernel(), "-i", "boot"));
        CliTest.Run r = run(args, String.join("\n", commands) + "\n");
        for (String line : r.out().split("\n")) {
          collect(new ObjectMapper().readTree(line), null, keys, values);
        }
      }
    }
    String section = jsonSection();
    for (String k : keys) {
      assertThat(section).as("README JSON section lists the field \"" + k + "\"")
          .contains("\"" + k + "\"");
    }
    for (Outcome.Stop s : Outcome.Stop.values()) {
      values.computeIfAbsent("stop", x -> new TreeSet<>()).add(s.name().toLowerCase());
    }
    for (var e : values.entrySet()) {
      for (String v : e.getValue()) {
        assertThat(Pattern.compile("(?<![\\w#])" + Pattern.quote(v) + "(?![\\w])")
            .matcher(section).find())
            .as("README JSON section lists \"" + e.getKey() + "\" value " + v).isTrue();
      }
    }
    assertThat(values.get("stop")).contains("panic");
    assertThat(values.get("stack")).contains("task", "user", "irq");
  }

  private static CliTest.Run run(List<String> args, String stdin) {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    int code = Main.execute(args.toArray(String[]::new),
        new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    return new CliTest.Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void collect(JsonNode n, String field, Set<String> keys,
      Map<String, Set<String>> values) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> {
        keys.add(e.getKey());
        if (!DATA_KEYS.contains(e.getKey())) {
          collect(e.getValue(), e.getKey(), keys, values);
        }
      });
    } else if (n.isArray()) {
      n.forEach(c -> collect(c, field, keys, values));
    } else if (n.isTextual() && ENUMERATED.contains(field) && !n.asText().startsWith("0x")) {
      values.computeIfAbsent(field, x -> new TreeSet<>()).add(n.asText());
    }
  }

  private static String jsonSection() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("## JSON output (a contract)");
    int end = readme.indexOf("\n## ", start + 1);
    assertThat(start).as("README has its JSON section").isNotNegative();
    return readme.substring(start, end < 0 ? readme.length() : end);
  }
}
