package kstack.lang.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for C expressions with C's precedence (ternary, || && | ^ &, equality,
 * relational, shifts, additive, multiplicative, casts and prefix operators, postfix . -> [] and calls),
 * plus gdb's {@code {type} addr}. Type names are recognised by their words (int, unsigned, struct ...,
 * and the kernel's u8..u64 typedefs); what they mean is decided later against the machine.
 */
final class Parser {
  private static final int MAX_DEPTH = 200;

  private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
      Map.entry("||", 1), Map.entry("&&", 2), Map.entry("|", 3), Map.entry("^", 4),
      Map.entry("&", 5), Map.entry("==", 6), Map.entry("!=", 6), Map.entry("<", 7),
      Map.entry("<=", 7), Map.entry(">", 7), Map.entry(">=", 7), Map.entry("<<", 8),
      Map.entry(">>", 8), Map.entry("+", 9), Map.entry("-", 9), Map.entry("*", 10),
      Map.entry("/", 10), Map.entry("%", 10));

  /** Words of C's built-in type names. */
  private static final Set<String> TYPE_WORDS = Set.of("unsigned", "signed", "char", "short", "int",
      "long", "void", "_Bool", "bool", "const", "volatile", "struct", "union", "enum");

  private final List<Token> tokens;
  private int pos;
  private int depth;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static Node parse(String text) {
    Parser p = new Parser(Lexer.tokenize(text));
    if (p.peek().kind() == Token.Kind.END) {
      throw new ExprError(1, "empty expression");
    }
    Node n = p.expression();
    Token t = p.peek();
    if (t.kind() != Token.Kind.END) {
      if (t.is(")")) {
        throw new ExprError(t.column(), "unbalanced ')'");
      }
      throw new ExprError(t.column(), "unexpected " + t.describe() + " after the expression");
    }
    return n;
  }

  /** A comma-separated list of expressions (command arguments); empty text is an empty list. */
  static List<Node> parseList(String text) {
    Parser p = new Parser(Lexer.tokenize(text));
    List<Node> out = new ArrayList<>();
    if (p.peek().kind() == Token.Kind.END) {
      return out;
    }
    do {
      out.add(p.expression());
    } while (p.accept(","));
    Token t = p.peek();
    if (t.kind() != Token.Kind.END) {
      throw new ExprError(t.column(), "expected ',' or the end of the arguments but found "
          + t.describe());
    }
    return out;
  }

  // ---- token helpers ----------------------------------------------------------------------------

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token take() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.END) {
      pos++;
    }
    return t;
  }

  private boolean accept(String punct) {
    if (peek().is(punct)) {
      pos++;
      return true;
    }
    return false;
  }

  private Token expect(String punct) {
    Token t = peek();
    if (!t.is(punct)) {
      throw new ExprError(t.column(), "expected '" + punct + "' but found " + t.describe());
    }
    return take();
  }

  private String expectIdent(String what) {
    Token t = peek();
    if (t.kind() != Token.Kind.IDENT) {
      throw new ExprError(t.column(), "expected " + what + " but found " + t.describe());
    }
    return take().text();
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new ExprError(peek().column(), "expression nested too deeply");
    }
  }

  // ---- expressions --------------------------------------------------------------------------------

  private Node expression() {
    enter();
    try {
      Node test = binary(1);
      if (peek().is("?")) {
        int opCol = take().column();
        Node then = expression();
        expect(":");
        Node otherwise = expression();
        return new Node.Cond(test.col(), opCol, test, then, otherwise);
      }
      if (peek().is("=")) {
        throw new ExprError(peek().column(), "assignment is not supported: expressions only read "
            + "the machine (use == to compare)");
      }
      return test;
    } finally {
      depth--;
    }
  }

  /** Precedence climbing over the left-associative binary operators. */
  private Node binary(int minPrec) {
    Node left = unary();
    while (true) {
      Token t = peek();
      Integer prec = t.kind() == Token.Kind.PUNCT ? PRECEDENCE.get(t.text()) : null;
      if (prec == null || prec < minPrec) {
        return left;
      }
      take();
      Node right = binary(prec + 1);
      left = new Node.Binary(left.col(), t.column(), t.text(), left, right);
    }
  }

  private Node unary() {
    enter();
    try {
      Token t = peek();
      if (t.kind() == Token.Kind.PUNCT) {
        switch (t.text()) {
          case "-", "+", "!", "~", "*", "&" -> {
            take();
            return new Node.Unary(t.column(), t.text(), unary());
          }
          case "++", "--" -> throw new ExprError(t.column(),
              "'" + t.text() + "' is not supported: expressions only read the machine");
          case "(" -> {
            if (startsType(peek(1))) {
              take();
              Node.TypeName type = typeName();
              expect(")");
              return new Node.Cast(t.column(), type, unary());
            }
          }
          case "{" -> {
            take();
            Node.TypeName type = typeName();
            expect("}");
            return new Node.At(t.column(), type, unary());
          }
          default -> { }
        }
      }
      if (t.isIdent("sizeof")) {
        take();
        if (peek().is("(") && startsType(peek(1))) {
          take();
          Node.TypeName type = typeName();
          expect(")");
          return new Node.SizeofType(t.column(), type);
        }
        return new Node.SizeofExpr(t.column(), unary());
      }
      return postfix(primary());
    } finally {
      depth--;
    }
  }

  private Node postfix(Node base) {
    while (true) {
      Token t = peek();
      if (t.is(".") || t.is("->")) {
        take();
        Token name = peek();
        String member = expectIdent("a member name after '" + t.text() + "'");
        base = new Node.Member(base.col(), t.column(), name.column(), base, member, t.is("->"));
      } else if (t.is("[")) {
        take();
        Node index = expression();
        expect("]");
        base = new Node.Index(base.col(), t.column(), base, index);
      } else if (t.is("(")) {
        if (!(base instanceof Node.Ident id)) {
          throw new ExprError(t.column(), "only kernel helpers such as task_pt_regs() can be called");
        }
        take();
        List<Node> args = new ArrayList<>();
        if (!accept(")")) {
          do {
            args.add(expression());
          } while (accept(","));
          expect(")");
        }
        base = new Node.Call(id.col(), id.name(), args);
      } else {
        return base;
      }
    }
  }

  private Node primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        take();
        return new Node.Num(t.column(), t.value(), literalType(t));
      }
      case CHAR -> {
        take();
        return new Node.Num(t.column(), t.value(), new Node.TypeName(t.column(), "char", 0));
      }
      case STRING -> {
        take();
        StringBuilder sb = new StringBuilder(t.text());
        while (peek().kind() == Token.Kind.STRING) {
          sb.append(take().text()); // adjacent literals concatenate, as in C
        }
        return new Node.Str(t.column(), sb.toString());
      }
      case REGISTER -> {
        take();
        return new Node.Reg(t.column(), t.text());
      }
      case IDENT -> {
        if (t.text().equals("offsetof") && peek(1).is("(")) {
          return offsetof();
        }
        if (startsType(t)) {
          throw new ExprError(t.column(), "a type name (" + t.text() + ") is not a value here");
        }
        take();
        return new Node.Ident(t.column(), t.text());
      }
      case PUNCT -> {
        if (t.is("(")) {
          take();
          Node inner = expression();
          expect(")");
          return inner;
        }
        throw new ExprError(t.column(), "expected a value but found " + t.describe());
      }
      default -> throw new ExprError(t.column(), "unexpected end of expression");
    }
  }

  /** C's rule: the first of int, (unsigned int), long, unsigned long that holds the literal. */
  private static Node.TypeName literalType(Token t) {
    long v = t.value();
    boolean decimal = !t.text().startsWith("0") || t.text().equals("0");
    String base;
    if (t.unsigned()) {
      base = !t.isLong() && (v >>> 32) == 0 ? "unsigned int" : "unsigned long";
    } else if (!t.isLong() && v >= 0 && v <= Integer.MAX_VALUE) {
      base = "int";
    } else if (!t.isLong() && !decimal && (v >>> 32) == 0) {
      base = "unsigned int";
    } else if (v >= 0) {
      base = "long";
    } else {
      base = "unsigned long";
    }
    return new Node.TypeName(t.column(), base, 0);
  }

  private Node offsetof() {
    Token name = take();
    expect("(");
    Node.TypeName type = typeName();
    expect(",");
    List<String> path = new ArrayList<>();
    List<Integer> cols = new ArrayList<>();
    cols.add(peek().column());
    path.add(expectIdent("a member name"));
    while (true) {
      if (peek().is(".")) {
        take();
        cols.add(peek().column());
        path.add(expectIdent("a member name"));
      } else if (peek().is("[")) {
        Token open = take();
        Token n = peek();
        if (n.kind() != Token.Kind.NUMBER) {
          throw new ExprError(n.column(), "offsetof needs a constant index");
        }
        take();
        expect("]");
        cols.add(open.column());
        path.add("[" + n.value() + "]");
      } else {
        break;
      }
    }
    expect(")");
    return new Node.Offsetof(name.column(), type, path, cols);
  }

  // ---- type names -------------------------------------------------------------------------------

  /** Whether a token begins a type name (a built-in type word, struct, or a kernel typedef). */
  private static boolean startsType(Token t) {
    return t.kind() == Token.Kind.IDENT
        && (TYPE_WORDS.contains(t.text()) || CTypes.isTypedef(t.text()));
  }

  private Node.TypeName typeName() {
    Token first = peek();
    if (!startsType(first)) {
      throw new ExprError(first.column(), "expected a type name but found " + first.describe());
    }
    while (peek().isIdent("const") || peek().isIdent("volatile")) {
      take();
    }
    String base;
    if (peek().isIdent("struct")) {
      take();
      base = "struct " + expectIdent("a struct name after 'struct'");
    } else if (peek().isIdent("union") || peek().isIdent("enum")) {
      throw new ExprError(peek().column(), peek().text() + " types are not modelled; "
          + "only structs and integer types are");
    } else {
      base = builtinBase();
    }
    while (peek().isIdent("const") || peek().isIdent("volatile")) {
      take();
    }
    int pointers = 0;
    while (peek().is("*")) {
      take();
      pointers++;
      while (peek().isIdent("const") || peek().isIdent("volatile")) {
        take();
      }
    }
    return new Node.TypeName(first.column(), base, pointers);
  }

  /** Reads words such as "unsigned long int" or "u64" and gives the canonical name. */
  private String builtinBase() {
    Token first = peek();
    boolean unsigned = false;
    boolean signed = false;
    int longs = 0;
    String core = null;
    int words = 0;
    while (peek().kind() == Token.Kind.IDENT) {
      String w = peek().text();
      if (w.equals("const") || w.equals("volatile")) {
        take();
        continue;
      }
      if (CTypes.isTypedef(w) || w.equals("void") || w.equals("_Bool") || w.equals("bool")) {
        if (words > 0 || core != null) {
          break;
        }
        take();
        return w.equals("_Bool") ? "bool" : w;
      }
      switch (w) {
        case "unsigned" -> unsigned = true;
        case "signed" -> signed = true;
        case "long" -> longs++;
        case "char", "short", "int" -> {
          if (core != null) {
            throw new ExprError(peek().column(), "invalid type name");
          }
          core = w;
        }
        default -> {
          return canonical(first, unsigned, signed, longs, core);
        }
      }
      take();
      words++;
    }
    return canonical(first, unsigned, signed, longs, core);
  }

  private static String canonical(Token at, boolean unsigned, boolean signed, int longs,
      String core) {
    if (unsigned && signed) {
      throw new ExprError(at.column(), "a type cannot be both signed and unsigned");
    }
    String u = unsigned ? "unsigned " : "";
    if ("char".equals(core)) {
      return unsigned ? "unsigned char" : signed ? "signed char" : "char";
    }
    if ("short".equals(core)) {
      return u + "short";
    }
    if (longs >= 2) {
      return u + "long long";
    }
    if (longs == 1) {
      return u + "long";
    }
    return u + "int";
  }
}
