package kstack.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Whether kstack talks to a person at a terminal, and the JLine prompt when it does. */
final class Terminals {
  private Terminals() {}

  /**
   * Standard input and output are a terminal. Java 22 and later give a {@code Console} even when
   * they are redirected and say with {@code Console.isTerminal()}; Java 17 gives none.
   */
  static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22 a Console exists only for a terminal
    }
  }

  /** The history file: $KSTACK_HISTORY, or ~/.kstack_history. */
  static Path historyFile() {
    String env = System.getenv("KSTACK_HISTORY");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".kstack_history");
  }

  private static final String PROBE_TIMEOUT = "org.jline.terminal.probe.timeout";

  /** Runs the JLine prompt on the process's terminal; its exit code. */
  static int repl(Session session, boolean json, PrintWriter err) {
    // JLine asks the terminal what it supports and waits for the answers; a terminal (or a
    // recorder such as script(1)) that never answers must not hold the prompt for seconds.
    if (System.getProperty(PROBE_TIMEOUT) == null) {
      System.setProperty(PROBE_TIMEOUT, "250");
    }
    try (Terminal t = TerminalBuilder.builder().system(true).name("kstack").build()) {
      boolean dumb = Terminal.TYPE_DUMB.equals(t.getType())
          || Terminal.TYPE_DUMB_COLOR.equals(t.getType());
      boolean colour = !dumb && Colour.forOutput(true, json, System.getenv()).on();
      return new Repl(session, t, historyFile(), colour, json).showProgress(dumb ? null : err).run();
    } catch (IOException e) {
      err.println("kstack: cannot open the terminal: " + ScriptError.oneLine(e.getMessage()));
      return 1;
    }
  }
}
