package kstack.lang.expr;

/**
 * One lexical token of an expression. For numbers {@code value} holds the literal's bits and
 * {@code text} its spelling, {@code unsigned} and {@code longs} its suffix (u, l or ll); for strings and character literals {@code text} is the decoded
 * contents; for everything else {@code text} is the spelling (without the {@code $} of a register).
 */
record Token(Kind kind, String text, long value, boolean unsigned, int longs, int column) {

  enum Kind { NUMBER, CHAR, STRING, IDENT, REGISTER, HISTORY, PUNCT, END }

  boolean is(String punct) {
    return kind == Kind.PUNCT && text.equals(punct);
  }

  boolean isIdent(String name) {
    return kind == Kind.IDENT && text.equals(name);
  }

  /** How the token reads in an error message. */
  String describe() {
    return switch (kind) {
      case END -> "end of expression";
      case STRING -> "string literal";
      case CHAR -> "character literal";
      case REGISTER -> "'$" + text + "'";
      case HISTORY -> "'" + text + "'";
      default -> "'" + text + "'";
    };
  }
}
