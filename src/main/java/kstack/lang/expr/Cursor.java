package kstack.lang.expr;

import java.util.List;

/** A position in an expression's tokens, with the look-ahead and matching the parsers share. */
class Cursor {
  private final List<Token> tokens;
  private int pos;

  Cursor(List<Token> tokens) {
    this.tokens = tokens;
  }

  Token peek() {
    return tokens.get(pos);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  Token take() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.END) {
      pos++;
    }
    return t;
  }

  boolean accept(String punct) {
    if (peek().is(punct)) {
      pos++;
      return true;
    }
    return false;
  }

  Token expect(String punct) {
    Token t = peek();
    if (!t.is(punct)) {
      throw new ExprError(t.column(), "expected '" + punct + "' but found " + t.describe());
    }
    return take();
  }

  String expectIdent(String what) {
    Token t = peek();
    if (t.kind() != Token.Kind.IDENT) {
      throw new ExprError(t.column(), "expected " + what + " but found " + t.describe());
    }
    return take().text();
  }
}
