package kstack.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ANSI colour for a person at a terminal: the prompt, errors, addresses and symbol names. Off when
 * output is piped or redirected, for {@code --json}, on a dumb terminal, and whenever
 * {@code NO_COLOR} is set to anything but the empty string (no-color.org), so that scripts,
 * goldens and files never hold an escape code.
 */
final class Colour {
  static final Colour NONE = new Colour(false);
  static final Colour ANSI = new Colour(true);

  private static final String RESET = "\033[0m";
  private static final String PROMPT = "\033[1;34m";
  private static final String ERROR = "\033[31m";
  private static final String ADDRESS = "\033[33m";
  private static final String SYMBOL = "\033[32m";
  /** A symbol as kstack prints one ({@code <do_syscall_64+0x14>}), or a hex address. */
  private static final Pattern WORDS =
      Pattern.compile("(<[A-Za-z_.$][\\w.$]*(?:\\+0x[0-9a-f]+)?>)|\\b(0x[0-9a-f]+)\\b");

  private final boolean on;

  private Colour(boolean on) {
    this.on = on;
  }

  /** Colour for a terminal (stdout one), unless --json, NO_COLOR or TERM=dumb says otherwise. */
  static Colour forOutput(boolean terminal, boolean json, Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    boolean on = terminal && !json && (noColor == null || noColor.isEmpty())
        && !"dumb".equals(env.get("TERM"));
    return on ? ANSI : NONE;
  }

  boolean on() {
    return on;
  }

  String prompt(String text) {
    return on ? PROMPT + text + RESET : text;
  }

  String error(String text) {
    return on ? ERROR + text + RESET : text;
  }

  /** A line of output with its symbols and addresses coloured. */
  String line(String text) {
    if (!on || text.indexOf('<') < 0 && !text.contains("0x")) {
      return text;
    }
    Matcher m = WORDS.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String colour = m.group(1) != null ? SYMBOL : ADDRESS;
      m.appendReplacement(sb, Matcher.quoteReplacement(colour + m.group() + RESET));
    }
    return m.appendTail(sb).toString();
  }
}
