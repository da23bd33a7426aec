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
    this.file = file;
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

  /** {@code FILE:LINE:COL: message}, one line whatever the file name holds. */
  public String located() {
    return oneLine(file) + ":" + line + ":" + column + ": " + getMessage();
  }

  /**
   * The text with every control character escaped ({@code \n}, {@code \r}, {@code \t},
   * {@code \xNN} and a four-digit u escape above 0xff), so a message stays one line whatever bytes a name, a file name
   * or an input held.
   */
  public static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = Character.getType(c) == Character.CONTROL
          || c == 0x2028 || c == 0x2029;
      if (control && b == null) {
        b = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (b == null) {
        continue;
      }
      if (!control) {
        b.append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c < 0x100) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b == null ? s : b.toString();
  }
}
