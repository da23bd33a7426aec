package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kstack.catalog.Profiles;
import kstack.lang.Session;
import kstack.machine.Machine;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JLine prompt driven through a test terminal (keys in, screen out): history across sessions,
 * Tab completion, Enter repeating the last stepping or examining command.
 */
class ReplTest {
  @TempDir
  Path dir;

  /** Types {@code keys} at a fresh prompt on x86_64 6.x; returns what the screen received. */
  private String type(String keys, Path history, Session session) throws Exception {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    try (ExternalTerminal t = new ExternalTerminal("test", "xterm",
        new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), screen,
        StandardCharsets.UTF_8)) {
      t.setSize(new Size(160, 40));
      int code = new Repl(session, t, history, false, false).run();
      assertThat(code).isZero();
    }
    return screen.toString(StandardCharsets.UTF_8);
  }

  private static Session booted() {
    Session s = new Session(Machine.create(Profiles.newest("x86_64").orElseThrow(), 1));
    s.execute(kstack.lang.Source.commandLine(1, "boot"));
    return s;
  }

  @Test
  void historyIsKeptAcrossSessionsInTheHistoryFile() throws Exception {
    Path h = dir.resolve("history");
    type("p 1+1\rp sizeof(struct pt_regs)\r", h, booted());
    assertThat(Files.readString(h)).contains("p 1+1").contains("p sizeof(struct pt_regs)");
    // Up arrow in a new session brings back the last line of the old one.
    String screen = type("\033OA\r", h, booted());
    assertThat(screen).contains("$1 = 168");
  }

  @Test
  void tabCompletesCommandsSymbolsAndTheMembersOfTheStructAnExpressionPointsTo() throws Exception {
    Path h = dir.resolve("history");
    assertThat(type("consol\t\r", h, booted())).contains("console");
    assertThat(type("break do_syscall_6\t\r", h, booted())).contains("Breakpoint 1 at");
    assertThat(type("p current->thread_in\t\r", h, booted()))
        .contains("current->thread_info");
    assertThat(type("p/x $ri\t\r", h, booted())).containsPattern("\\$1 = 0x[0-9a-f]+");
  }

  @Test
  void enterRepeatsStepiAndXContinuesWhereItStopped() throws Exception {
    Path h = dir.resolve("history");
    Session s = booted();
    s.execute(kstack.lang.Source.commandLine(2, "spawn sh"));
    s.execute(kstack.lang.Source.commandLine(3, "break do_syscall_64"));
    s.execute(kstack.lang.Source.commandLine(4, "syscall getpid()"));
    long before = s.machine().timeline().steps();
    type("stepi\r\r\r", h, s);
    assertThat(s.machine().timeline().steps() - before).isEqualTo(3);
    String screen = type("x/2gx init_stack\r\r", h, booted());
    assertThat(screen.lines().filter(l -> l.matches(".*0x[0-9a-f]+ <init_thread_union(\\+0x10)?>:.*"))
        .toList()).hasSize(2);
    assertThat(screen).contains("<init_thread_union+0x10>:");
  }

  @Test
  void enterRepeatsStepAndNextAsInGdb() throws Exception {
    Path h = dir.resolve("history");
    Session typed = booted();
    Session scripted = booted();
    for (Session s : List.of(typed, scripted)) {
      s.execute(kstack.lang.Source.commandLine(2, "spawn sh"));
      s.execute(kstack.lang.Source.commandLine(3, "break vfs_write"));
      s.execute(kstack.lang.Source.commandLine(4, "syscall write(1, \"x\")"));
    }
    type("next\r\r\rstep\r\r", h, typed);
    for (String c : List.of("next", "next", "next", "step", "step")) {
      scripted.execute(kstack.lang.Source.commandLine(5, c));
    }
    assertThat(typed.machine().cpu(0).pc()).isEqualTo(scripted.machine().cpu(0).pc());
    assertThat(typed.machine().timeline().steps())
        .isEqualTo(scripted.machine().timeline().steps());
  }

  @Test
  void aFailingCommandIsReportedWithADidYouMeanAndTheSessionGoesOn() throws Exception {
    String screen = type("bpeak do_syscall_64\rp 6*7\r", dir.resolve("h"), booted());
    assertThat(screen).contains("<stdin>:1:1: unknown command 'bpeak' (try 'help'); did you mean"
        + " 'break'?").contains("$1 = 42");
  }

  @Test
  void anEmptyLineRepeatsNothingThatIsNotRepeatable() throws Exception {
    Session s = booted();
    long before = s.machine().timeline().steps();
    String screen = type("p 5\r\r\r", dir.resolve("h"), s);
    assertThat(screen).contains("$1 = 5").doesNotContain("$2");
    assertThat(s.machine().timeline().steps()).isEqualTo(before);
  }
}
