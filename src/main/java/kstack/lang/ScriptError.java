package kstack.lang;

/**
 * A failed command, located in its source: {@code FILE:LINE:COL: message}. The one error form the
 * CLI, the JSON output and the tests report.
 */
public final class ScriptError extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;

  public ScriptError(String file, int line, int column, String message) {
    super(oneLine(message), null, false, false);
    this.file = oneLine(file);
    this.line = line;
    this.column = column;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /**
   * The text with every control character written as an escape (\\n, \\r, \\t, \\xNN), so that
   * an error stays one line whatever bytes a name in it holds (a comm read from memory, a command
   * argument with a newline in it).
   */
  public static String oneLine(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** {@code FILE:LINE:COL: message} */
  public String located() {
    return file + ":" + line + ":" + column + ": " + getMessage();
  }
}
