package kstack.lang;

import java.util.List;
import kstack.lang.Session.Call;

/**
 * The argument grammar of {@code bt}: {@code bt} (the selected CPU's current task), {@code bt PID}
 * (an expression giving a pid), {@code bt -v} (every task's stack check, nothing else) or
 * {@code bt -a} (crash's: the current task of every CPU, nothing else). Anything
 * else that looks like an option (gdb's {@code bt full}, {@code bt -full}, crash's {@code bt -f},
 * {@code -F}, {@code -a}, {@code -r} ...) is refused by name, before any of it is read as an
 * expression.
 */
final class BtArgs {
  static final String USAGE = "bt takes [-v | -a | PID]";

  /** gdb's bt keywords, which read as names but are options. */
  private static final java.util.Set<String> GDB_WORDS = java.util.Set.of("full", "no-filters",
      "hide");

  private BtArgs() {}

  /** Whether the arguments are crash's {@code -a} alone (checked by {@link #check} first). */
  static boolean all(Call c) {
    return c.words().size() == 1 && c.words().get(0).text().equals("-a");
  }

  /** Checks the arguments of c; returns whether they are {@code -v}. */
  static boolean check(Call c) {
    boolean verbose = false;
    boolean other = false;
    List<Call.Word> words = c.words();
    for (Call.Word w : words) {
      String word = w.text();
      boolean option = word.length() > 1 && word.charAt(0) == '-'
          && Character.isLetter(word.charAt(1));
      if (word.equals("-a") && words.size() > 1) {
        throw new ScriptError(c.line.file(), c.line.number(), w.column(), "bt: -a shows every "
            + "CPU's current task and takes nothing else; " + USAGE);
      }
      if (option && !word.equals("-v") && !word.equals("-a") || w == words.get(0) && GDB_WORDS.contains(word)) {
        throw new ScriptError(c.line.file(), c.line.number(), w.column(), "bt: unknown option "
            + word + "; " + USAGE);
      }
      boolean v = word.equals("-v");
      if (verbose || v && other) {
        throw new ScriptError(c.line.file(), c.line.number(), w.column(), "bt: -v checks every "
            + "task's stack and takes no PID; " + USAGE);
      }
      verbose = v;
      other = !v;
    }
    return verbose;
  }
}
