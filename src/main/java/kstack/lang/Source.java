package kstack.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * Commands with where they come from: a scenario file, a built-in scenario, or a {@code -e}
 * argument. One command per line; {@code #} starts a comment outside string literals.
 */
public record Source(String file, List<Line> lines) {

  /** One command: its text (comment removed, trailing blanks trimmed) and position. */
  public record Line(String file, int number, int column, String text) {}

  /** The commands of a text in memory (a built-in scenario). */
  public static Source parse(String file, String text) {
    try {
      return read(TextInput.of(file, text), file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The commands of a text read line by line within {@link TextInput}'s limits. */
  public static Source read(TextInput in, String file) throws java.io.IOException {
    List<Line> out = new ArrayList<>();
    for (String raw = in.next(); raw != null; raw = in.next()) {
      Line l = single(file, in.lineNumber(), raw);
      if (!l.text().isEmpty()) {
        out.add(l);
      }
    }
    return new Source(file, out);
  }

  /** A single command given on the command line: reported as {@code -e:N:COL}. */
  public static Line commandLine(int index, String text) {
    return single("-e", index, text);
  }

  /** One command typed (or piped) at the interactive prompt: {@code <stdin>:N:COL}. */
  public static Line stdinLine(int number, String text) {
    return single("<stdin>", number, text);
  }

  private static Line single(String file, int index, String text) {
    TextInput.checkText(file, index, 1, text);
    String s = stripComment(text);
    int start = 0;
    while (start < s.length() && Character.isWhitespace(s.charAt(start))) {
      start++;
    }
    return new Line(file, index, start + 1, s.substring(start).stripTrailing());
  }

  /**
   * The line up to its comment: a {@code #} outside string and character literals (so
   * {@code p '#'} and {@code syscall write(1, "#")} keep theirs); a backslash inside a literal
   * escapes the next character.
   */
  static String stripComment(String s) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0 && c == '\\') {
        i++;
      } else if (c == '"' || c == '\'') {
        quote = quote == 0 ? c : quote == c ? 0 : quote;
      } else if (c == '#' && quote == 0) {
        return s.substring(0, i);
      }
    }
    return s;
  }
}
