package kstack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.lang.TextInput;

/**
 * {@code run -i} with standard input redirected (a file or a pipe; a terminal gets {@link Repl}):
 * one command per line, as in a script, without a prompt. A failing command is
 * reported and the session goes on; input that is not text (a NUL byte, invalid UTF-8, a control
 * character, a line over {@link TextInput#MAX_LINE_BYTES}) ends it with one located message and exit
 * code 1, since what follows cannot be told apart into commands.
 */
final class Interactive {
  private final Session session;
  private final Output o;
  private final PrintWriter err;
  private final boolean json;

  Interactive(Session session, Output o, PrintWriter err, boolean json) {
    this.session = session;
    this.o = o;
    this.err = err;
    this.json = json;
  }

  int run(InputStream stdin) {
    TextInput in = new TextInput("<stdin>", stdin, Long.MAX_VALUE);
    while (true) {
      Source.Line line;
      try {
        String text = in.next();
        if (text == null) {
          return 0;
        }
        line = Source.stdinLine(in.lineNumber(), text);
      } catch (IOException e) {
        err.println("kstack: reading standard input: " + ScriptError.oneLine(e.getMessage()));
        return 1;
      } catch (ScriptError e) {
        o.failure(null, e.located());
        err.println(e.located());
        return 1;
      }
      if (line.text().isEmpty()) {
        continue;
      }
      if (line.text().equals("quit") || line.text().equals("q") || line.text().equals("exit")) {
        return 0;
      }
      try {
        o.answer(session.execute(line));
      } catch (ScriptError e) {
        if (json) {
          o.failure(line.text(), e.located());
        }
        err.println(e.located());
        err.flush();
      }
    }
  }

  /**
   * Whether the process started with file descriptor 0 closed ({@code run -i <&-}). The launcher
   * says so (-Dkstack.stdin=closed); started directly, the JVM has put the first file it opened
   * (its own lib/modules, or the jar) on descriptor 0, which /proc shows on Linux. Either way
   * those bytes are not the user's commands.
   */
  static boolean stdinClosed() {
    if ("closed".equals(System.getProperty("kstack.stdin"))) {
      return true;
    }
    try {
      Path fd0 = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
      Path home = Path.of(System.getProperty("java.home")).toRealPath();
      String jar = System.getProperty("java.class.path", "");
      return fd0.startsWith(home) || (!jar.isEmpty() && fd0.equals(Path.of(jar).toRealPath()));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
