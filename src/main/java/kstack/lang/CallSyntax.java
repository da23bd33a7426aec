package kstack.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code NAME(ARG, ARG, ...)} as {@code syscall} and {@code call} take it: arguments split at
 * top-level commas (not inside parentheses, string or character literals), each remembered with its column.
 */
record CallSyntax(String name, List<Arg> args) {

  /** One argument: expression text, or a string literal's decoded value. */
  record Arg(String text, int column, String string) {
    boolean isString() {
      return string != null;
    }
  }

  static CallSyntax parse(Session.Call c) {
    String s = c.rest;
    int col0 = c.restCol;
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    int nameStart = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    String name = s.substring(nameStart, i);
    if (name.isEmpty()) {
      throw err(c, col0 + nameStart, "usage: " + c.word + " NAME(ARGS)");
    }
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    if (i >= s.length() || s.charAt(i) != '(') {
      throw err(c, col0 + i, "expected '(' after " + name);
    }
    int close = s.lastIndexOf(')');
    if (close < i || !s.substring(close + 1).isBlank()) {
      throw err(c, col0 + Math.max(i, s.length()), "expected ')' at the end of the call");
    }
    List<Arg> args = new ArrayList<>();
    int start = i + 1;
    int depth = 0;
    char quote = 0; // inside a string or character literal: commas and parentheses are text
    for (int j = i + 1; j <= close; j++) {
      char ch = s.charAt(j);
      if (quote != 0) {
        if (ch == '\\') {
          j++;
        } else if (ch == quote) {
          quote = 0;
        }
        continue;
      }
      if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (ch == '(') {
        depth++;
      } else if ((ch == ')' && depth == 0 && j == close) || (ch == ',' && depth == 0)) {
        String piece = s.substring(start, j);
        int lead = 0;
        while (lead < piece.length() && Character.isWhitespace(piece.charAt(lead))) {
          lead++;
        }
        String text = piece.strip();
        if (text.isEmpty()) {
          if (ch == ',' || !args.isEmpty()) {
            throw err(c, col0 + start + lead, "empty argument");
          }
        } else {
          args.add(arg(c, text, col0 + start + lead));
        }
        start = j + 1;
      } else if (ch == ')') {
        depth--;
      }
    }
    if (quote != 0) {
      throw err(c, col0 + close, "unterminated " + (quote == '"' ? "string" : "character literal"));
    }
    return new CallSyntax(name, args);
  }

  private static Arg arg(Session.Call c, String text, int col) {
    if (text.startsWith("\"")) {
      if (text.length() < 2 || !text.endsWith("\"")) {
        throw err(c, col, "unterminated string");
      }
      return new Arg(text, col, unescape(c, text.substring(1, text.length() - 1), col));
    }
    return new Arg(text, col, null);
  }

  static String unescape(Session.Call c, String s, int col) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch != '\\') {
        b.append(ch);
        continue;
      }
      if (++i >= s.length()) {
        throw err(c, col + i, "bad escape at the end of the string");
      }
      switch (s.charAt(i)) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case '0' -> b.append('\0');
        case '\\' -> b.append('\\');
        case '"' -> b.append('"');
        default -> throw err(c, col + i + 1, "unknown escape \\" + s.charAt(i));
      }
    }
    return b.toString();
  }

  private static ScriptError err(Session.Call c, int col, String msg) {
    return new ScriptError(c.line.file(), c.line.number(), col, msg);
  }
}
