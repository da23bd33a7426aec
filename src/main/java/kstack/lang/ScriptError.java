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
    super(message, null, false, false);
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

  /** {@code FILE:LINE:COL: message} */
  public String located() {
    return file + ":" + line + ":" + column + ": " + getMessage();
  }
}
