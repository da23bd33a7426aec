package kstack.lang;

import java.util.List;
import java.util.Set;
import kstack.lang.Session.Call;

/**
 * The argument grammar of {@code bt}: {@code bt} (the selected CPU's current task), {@code bt PID}
 * (an expression giving a pid, as crash's {@code bt PID}), {@code bt -v} (every task's stack
 * check, nothing else), {@code bt -a} (crash's: the current task of every CPU, nothing else), and
 * before an optional PID: crash's {@code -f} (each frame's words), {@code -F} (the same, values as
 * symbols) or {@code -r} (the raw stack), and gdb's frame limit as {@code -n N} (the innermost N)
 * or {@code -n -N} (the outermost N). gdb spells the limit {@code bt N}, which crash users read as
 * a pid: kstack keeps crash's meaning and gives the limit its own option. Anything else that looks
 * like an option (gdb's {@code bt full}, {@code bt -full}) is refused by name, before any of it is
 * read as an expression.
 */
final class BtArgs {
  static final String USAGE = "bt takes [-v | -a | [-f | -F | -r] [-n [-]N] [PID]]";

  /** gdb's bt keywords, which read as names but are options. */
  private static final Set<String> GDB_WORDS = Set.of("full", "no-filters", "hide");
  private static final Set<String> OPTIONS = Set.of("-v", "-a", "-f", "-F", "-r", "-n");

  /**
   * What to show besides the frames: 0 nothing, 'f' the frames' words, 'F' the same with values
   * as symbols, 'r' the raw stack; limit: the innermost limit frames (positive), the outermost
   * -limit (negative), or all (0); pid: the PID expression, or empty, at column pidCol.
   */
  record Shape(char contents, long limit, String pid, int pidCol) {}

  private BtArgs() {}

  /** Whether the arguments are crash's {@code -a} alone (checked by {@link #check} first). */
  static boolean all(Call c) {
    return c.words().size() == 1 && c.words().get(0).text().equals("-a");
  }

  private static boolean option(String word) {
    return word.length() > 1 && word.charAt(0) == '-' && Character.isLetter(word.charAt(1));
  }

  /** Checks the arguments of c; returns whether they are {@code -v}. */
  static boolean check(Call c) {
    boolean verbose = false;
    boolean other = false;
    List<Call.Word> words = c.words();
    for (Call.Word w : words) {
      String word = w.text();
      if (word.equals("-a") && words.size() > 1) {
        throw error(c, w, "-a shows every CPU's current task and takes nothing else; " + USAGE);
      }
      if (option(word) && !OPTIONS.contains(word) || w == words.get(0) && GDB_WORDS.contains(word)) {
        throw error(c, w, "unknown option " + word + "; " + USAGE);
      }
      boolean v = word.equals("-v");
      if (verbose || v && other) {
        throw error(c, w, "-v checks every task's stack and takes no PID; " + USAGE);
      }
      verbose = v;
      other = !v;
    }
    return verbose;
  }

  /** The options and PID of a bt that is neither -v nor -a (checked first). */
  static Shape shape(Call c) {
    char contents = 0;
    long limit = 0;
    List<Call.Word> words = c.words();
    int i = 0;
    for (; i < words.size() && OPTIONS.contains(words.get(i).text()); i++) {
      Call.Word w = words.get(i);
      if (w.text().equals("-n")) {
        if (i + 1 >= words.size()) {
          throw error(c, w, "-n takes a count: -n N (the innermost N frames) or -n -N (the"
              + " outermost N)");
        }
        Call.Word n = words.get(++i);
        limit = c.eval(n.text(), n.column()).asLong();
        if (limit == 0) {
          throw error(c, n, "-n 0 would show no frame; " + USAGE);
        }
        continue;
      }
      if (contents != 0) {
        throw error(c, w, "-f, -F and -r are one of: the frames' words, the same as symbols,"
            + " or the raw stack; " + USAGE);
      }
      contents = w.text().charAt(1);
    }
    if (contents == 'r' && limit != 0) {
      throw error(c, words.get(0), "-r dumps the whole stack and takes no -n; " + USAGE);
    }
    for (int k = i; k < words.size(); k++) {
      if (OPTIONS.contains(words.get(k).text())) {
        throw error(c, words.get(k), "options come before the PID; " + USAGE);
      }
    }
    if (i == words.size()) {
      return new Shape(contents, limit, "", 0);
    }
    Call.Word first = words.get(i);
    String pid = c.rest.substring(first.column() - c.restCol).strip();
    return new Shape(contents, limit, pid, first.column());
  }

  private static ScriptError error(Call c, Call.Word w, String message) {
    return new ScriptError(c.line.file(), c.line.number(), w.column(), "bt: " + message);
  }
}
