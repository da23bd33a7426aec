package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.lang.expr.Suggest;
import kstack.machine.Machine;
import org.junit.jupiter.api.Test;

/** help, help COMMAND with its example, and "did you mean" for misspelt commands and symbols. */
class HelpAndSuggestTest {
  private static Session session(String arch, String kernel) {
    Session s = new Session(Machine.create(Profiles.find(arch, kernel).orElseThrow(), 1));
    for (String c : List.of("boot", "spawn sh")) {
      s.execute(Source.commandLine(1, c));
    }
    return s;
  }

  private static Result run(Session s, String text) {
    return s.execute(Source.commandLine(1, text));
  }

  @Test
  void everyCommandsExampleIsAKnownCommandWithValidArguments() {
    Session x86 = session("x86_64", "6.x");
    Session i386 = session("i386", "2.6");
    for (Help.Entry e : Help.COMMANDS) {
      if (e.name().equals("quit")) {
        continue; // ends the session in the REPL and run -i; not a Session command
      }
      Session s = e.name().equals("sysenter") ? i386 : x86;
      try {
        run(s, e.example());
      } catch (ScriptError err) {
        assertThat(err.getMessage()).as(e.example()).doesNotContain("unknown command")
            .doesNotContain("usage:").doesNotContain("takes no arguments");
      }
    }
  }

  @Test
  void helpCommandShowsUsageAliasesAndAnExample() {
    Result r = run(session("x86_64", "6.x"), "help bt");
    assertThat(r.text()).containsExactly("usage: bt [-f|-F|-r] [-n [-]N] [PID] | bt -v | bt -a",
        "  backtrace of the current task or PID; -f: each frame's arguments and words, -F: the"
            + " same with",
        "  symbols, -r: the raw stack; -n N: the innermost N frames, -n -N: the outermost N"
            + " (gdb's bt N: here",
        "  a bare number is crash's PID); -v: every task's STACK_END_MAGIC and stack high-water"
            + " mark; -a: the",
        "  current task of every CPU",
        "  also: bt", "example: bt -f -n 2");
    assertThat(run(session("x86_64", "6.x"), "help").text()).contains("Execution:", "Inspection:")
        .anyMatch(l -> l.startsWith("  stepi [N]"));
  }

  @Test
  void aMisspeltCommandOrHelpTopicGetsTheClosestName() {
    Session s = session("x86_64", "6.x");
    assertThatThrownBy(() -> run(s, "stpei")).hasMessageEndingWith(
        "unknown command 'stpei' (try 'help'); did you mean 'stepi'?");
    assertThatThrownBy(() -> run(s, "help contnue")).hasMessageEndingWith(
        "no command 'contnue' (try 'help'); did you mean 'continue'?");
    assertThatThrownBy(() -> run(s, "frobnicate")).hasMessageEndingWith(
        "unknown command 'frobnicate' (try 'help')");
  }

  @Test
  void anUnambiguousPrefixNamesItsCommandAsInGdb() {
    Session s = session("x86_64", "6.x");
    assertThat(run(s, "br do_syscall_64").text().get(0)).startsWith("Breakpoint 1 at");
    assertThat(run(s, "cons").text()).isEqualTo(run(s, "console").text());
    assertThatThrownBy(() -> run(s, "re")).hasMessageEndingWith(
        "ambiguous command 're': reverse-stepi, reverse-continue, record, reverse-step,"
            + " reverse-next, reverse-finish, recurse");
  }

  @Test
  void aMisspeltSymbolGetsTheClosestSymbolOfThisProfile() {
    assertThatThrownBy(() -> run(session("x86_64", "6.x"), "break do_syscal_64"))
        .hasMessageEndingWith("did you mean 'do_syscall_64'?");
    assertThatThrownBy(() -> run(session("i386", "2.4"), "p &init_tsk"))
        .hasMessageContaining("no symbol \"init_tsk\"").hasMessageEndingWith(
            "did you mean 'init_task'?");
  }

  @Test
  void suggestionsNeedCloseNamesAndBreakTiesInOrder() {
    assertThat(Suggest.closest("stpei", List.of("stepi", "step"))).contains("stepi");
    assertThat(Suggest.closest("xyzzy", List.of("stepi", "ps"))).isEmpty();
    assertThat(Suggest.closest("ab", List.of("ac", "ad"))).contains("ac");
    assertThat(Suggest.closest("stepi", List.of("stepi"))).isEmpty();
  }
}
