package kstack.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kstack.lang.Completion;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The prompt on a terminal ({@code ./kstack}, {@code ./kstack run -i}): JLine line editing, history
 * kept across sessions in a file, Tab completion from the machine as it is ({@link Completion}),
 * Enter on an empty line repeating the last stepping or examining command as gdb does, colour
 * unless {@code NO_COLOR} is set or the terminal cannot show it. A failing command is reported and
 * the session goes on; Ctrl-C clears the line, Ctrl-D (or {@code quit}) ends the session.
 */
final class Repl {
  /** Commands that an empty line repeats (gdb's "repeatable" commands that kstack has). */
  static final Set<String> REPEATABLE = Set.of("stepi", "si", "reverse-stepi", "rsi", "x",
      "continue", "c", "step", "s", "next", "n", "reverse-step", "reverse-next", "until", "u");

  private final Session session;
  private final Terminal terminal;
  private final LineReader reader;
  private final Output o;
  private final PrintWriter out;
  private final Colour colour;
  /** Where the progress line of a long command goes (standard error), or null for none. */
  private PrintWriter progress;
  private int lineNumber;

  Repl(Session session, Terminal terminal, Path history, boolean colour, boolean json) {
    this.session = session;
    this.terminal = terminal;
    this.out = terminal.writer();
    this.o = new Output(out, json);
    this.colour = colour ? Colour.ANSI : Colour.NONE;
    o.paint(this.colour);
    DefaultParser parser = new DefaultParser();
    // The command language has its own quoting ("strings" in syscall arguments): the line
    // reader must not treat quotes, brackets or backslashes as line continuations.
    parser.setEofOnUnclosedQuote(false);
    parser.setEofOnUnclosedBracket();
    parser.setEscapeChars(new char[0]);
    Completion completion = new Completion(session.machine());
    this.reader = LineReaderBuilder.builder().terminal(terminal).appName("kstack").parser(parser)
        .completer((r, line, candidates) -> complete(completion, line, candidates))
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.HISTORY_SIZE, 2000)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is C's not
        .build();
  }

  LineReader reader() {
    return reader;
  }

  /** Shows a command that runs longer than a second a progress line on err ({@link Progress}). */
  Repl showProgress(PrintWriter err) {
    this.progress = err;
    return this;
  }

  int run() {
    String last = null;
    while (true) {
      String text;
      try {
        text = reader.readLine(prompt()).strip();
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        return saveHistory();
      }
      lineNumber++;
      if (text.isEmpty()) {
        if (last == null) {
          continue;
        }
        text = last;
      }
      if (text.equals("quit") || text.equals("q") || text.equals("exit")) {
        return saveHistory();
      }
      last = repeatOf(text);
      execute(text);
    }
  }

  /** What an empty line after {@code text} runs: x goes on where it stopped; others repeat. */
  static String repeatOf(String text) {
    String word = text.split("[\\s/]", 2)[0];
    if (!REPEATABLE.contains(word)) {
      return null;
    }
    return word.equals("x") ? "x" : text;
  }

  private void execute(String text) {
    kstack.trace.Timeline timeline = session.machine().timeline();
    kstack.lang.Result r;
    try (Progress p = Progress.start(progress != null, progress, text, timeline::steps)) {
      r = session.execute(Source.stdinLine(lineNumber, text));
    } catch (ScriptError e) {
      out.println(colour.error(e.located()));
      out.flush();
      return;
    }
    o.answer(r);
  }

  private String prompt() {
    return colour.prompt("(kstack)") + " ";
  }

  private int saveHistory() {
    try {
      reader.getHistory().save();
      return 0;
    } catch (IOException e) {
      terminal.writer().println("kstack: could not save the history: "
          + ScriptError.oneLine(e.getMessage()));
      return 0;
    }
  }

  /**
   * JLine's word is blank-delimited ({@code p current->pi}); ours ends at an operator ({@code pi}).
   * Each candidate keeps JLine's word up to where ours starts, and shows only our part.
   */
  private static void complete(Completion completion, ParsedLine line, List<Candidate> into) {
    String before = line.line().substring(0, line.cursor());
    String jlineWord = line.word().substring(0, line.wordCursor());
    int ours = before.length() - Completion.wordStart(before);
    String keep = jlineWord.substring(0, Math.max(0, jlineWord.length() - ours));
    for (String c : completion.candidates(before)) {
      into.add(new Candidate(keep + c, c, null, null, null, null, true));
    }
  }
}
