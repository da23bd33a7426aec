package kstack.lang.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits expression text into tokens: C integer literals (decimal, 0x hex, 0 octal, with u/l suffixes),
 * character and string literals with the usual escapes, identifiers, gdb's {@code $register} names and
 * C punctuators. Columns are 1-based.
 */
final class Lexer {
  /** Longest first, so that "->" wins over "-". */
  private static final String[] PUNCT = {
      "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->", "++", "--",
      "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~", "(", ")", "[", "]", "{", "}",
      ".", ",", "?", ":", "=", "@"};

  private final String s;
  private int i;

  private Lexer(String s) {
    this.s = s;
  }

  static List<Token> tokenize(String text) {
    return new Lexer(text).all();
  }

  private List<Token> all() {
    List<Token> out = new ArrayList<>();
    while (true) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= s.length()) {
        out.add(new Token(Token.Kind.END, "", 0, false, 0, s.length() + 1));
        return out;
      }
      out.add(next());
    }
  }

  private Token next() {
    int start = i;
    char c = s.charAt(i);
    if (Character.isDigit(c)) {
      return number(start);
    }
    if (c == '$') {
      i++;
      if (i < s.length() && (s.charAt(i) == '$' || Character.isDigit(s.charAt(i)))) {
        return history(start);
      }
      String name = word();
      if (name.isEmpty()) {
        return new Token(Token.Kind.HISTORY, "$", 0, false, 0, start + 1);
      }
      return new Token(Token.Kind.REGISTER, name, 0, false, 0, start + 1);
    }
    if (Character.isLetter(c) || c == '_') {
      return new Token(Token.Kind.IDENT, word(), 0, false, 0, start + 1);
    }
    if (c == '"') {
      i++;
      String text = quoted('"', start);
      return new Token(Token.Kind.STRING, text, 0, false, 0, start + 1);
    }
    if (c == '\'') {
      i++;
      String text = quoted('\'', start);
      if (text.length() != 1) {
        throw new ExprError(start + 1, "a character literal holds exactly one character");
      }
      return new Token(Token.Kind.CHAR, text, text.charAt(0), false, 0, start + 1);
    }
    for (String p : PUNCT) {
      if (s.startsWith(p, i)) {
        i += p.length();
        return new Token(Token.Kind.PUNCT, p, 0, false, 0, start + 1);
      }
    }
    throw new ExprError(start + 1, "unexpected character '" + c + "'");
  }

  /** gdb's value history: $N, $$ or $$N (the '$' at start is already taken). */
  private Token history(int start) {
    if (s.charAt(i) == '$') {
      i++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    return new Token(Token.Kind.HISTORY, s.substring(start, i), 0, false, 0, start + 1);
  }

  private String word() {
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    return s.substring(start, i);
  }

  private Token number(int start) {
    int radix = 10;
    int digitsFrom = i;
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      radix = 16;
      i += 2;
      digitsFrom = i;
    } else if (s.charAt(i) == '0' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
      radix = 8;
      i++;
      digitsFrom = i;
    }
    while (i < s.length() && Character.digit(s.charAt(i), radix) >= 0) {
      i++;
    }
    String digits = s.substring(digitsFrom, i);
    int suffixFrom = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    String suffix = s.substring(suffixFrom, i);
    if (digits.isEmpty()) {
      throw new ExprError(start + 1, "invalid number \"" + s.substring(start, i) + "\"");
    }
    int longs = longs(suffix);
    if (longs < 0) {
      throw new ExprError(start + 1, "invalid suffix \"" + suffix + "\" on integer constant \""
          + s.substring(start, i) + "\"");
    }
    long v;
    try {
      v = Long.parseUnsignedLong(digits, radix);
    } catch (NumberFormatException e) {
      throw new ExprError(start + 1, "number " + s.substring(start, i) + " does not fit in 64 bits");
    }
    boolean unsigned = suffix.indexOf('u') >= 0 || suffix.indexOf('U') >= 0;
    return new Token(Token.Kind.NUMBER, s.substring(start, i), v, unsigned, longs, start + 1);
  }

  /**
   * The number of 'l's in a C integer suffix (C11 6.4.4.1): at most one u or U and at most one of
   * l, L, ll, LL, in either order; -1 for anything else ("uu", "lul", "lL", "lll").
   */
  private static int longs(String suffix) {
    String rest = suffix;
    boolean unsigned = false;
    if (!rest.isEmpty() && (rest.charAt(0) == 'u' || rest.charAt(0) == 'U')) {
      unsigned = true;
      rest = rest.substring(1);
    }
    int longs = 0;
    if (rest.startsWith("ll") || rest.startsWith("LL")) {
      longs = 2;
    } else if (rest.startsWith("l") || rest.startsWith("L")) {
      longs = 1;
    }
    rest = rest.substring(longs);
    if (!unsigned && (rest.equals("u") || rest.equals("U"))) {
      rest = "";
    }
    return rest.isEmpty() ? longs : -1;
  }

  /** Reads up to the closing quote, decoding \n \t \r \0 \\ \" \' \xHH and octal escapes. */
  private String quoted(char quote, int start) {
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw new ExprError(start + 1, "unterminated " + (quote == '"' ? "string" : "character")
            + " literal");
      }
      char c = s.charAt(i++);
      if (c == quote) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= s.length()) {
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'a' -> sb.append('\007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'v' -> sb.append('\013');
        case 'e' -> sb.append('\033');
        case 'x' -> {
          int from = i;
          while (i < s.length() && i - from < 2 && Character.digit(s.charAt(i), 16) >= 0) {
            i++;
          }
          if (from == i) {
            throw new ExprError(from, "\\x needs hex digits");
          }
          sb.append((char) Integer.parseInt(s.substring(from, i), 16));
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int from = i - 1;
            while (i < s.length() && i - from < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
              i++;
            }
            sb.append((char) (Integer.parseInt(s.substring(from, i), 8) & 0xFF));
          } else {
            sb.append(e); // \\ \" \' and anything else stand for themselves
          }
        }
      }
    }
  }
}
