package kstack.lang.expr;

/**
 * A problem with an expression: a syntax error, an unknown name, a bad operand, or memory the
 * expression tried to read that is not mapped. The column (1-based, within the expression text) points
 * at the part of the expression that caused it, so a caller can draw a caret under it.
 */
public final class ExprError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int column;

  public ExprError(int column, String message) {
    super(message, null, false, false);
    this.column = Math.max(1, column);
  }

  /** 1-based column within the expression text. */
  public int column() {
    return column;
  }
}
