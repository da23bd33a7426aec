package kstack.lang.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for C expressions with C's precedence (ternary, || && | ^ &, equality,
 * relational, shifts, additive, multiplicative, casts and prefix operators, postfix . -> [] and calls),
 * plus gdb's {@code {type} addr}. Type names are recognised by their words (int, unsigned, struct ...,
 * and the kernel's u8..u64 typedefs); what they mean is decided later against the machine.
 */
final class Parser extends Cursor {
  private static final int MAX_DEPTH = 200;

  private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
      Map.entry("||", 1), Map.entry("&&", 2), Map.entry("|", 3), Map.entry("^", 4),
      Map.entry("&", 5), Map.entry("==", 6), Map.entry("!=", 6), Map.entry("<", 7),
      Map.entry("<=", 7), Map.entry(">", 7), Map.entry(">=", 7), Map.entry("<<", 8),
      Map.entry(">>", 8), Map.entry("+", 9), Map.entry("-", 9), Map.entry("*", 10),
      Map.entry("/", 10), Map.entry("%", 10));

  private int depth;

  private Parser(List<Token> tokens) {
    super(tokens);
  }

  static Node parse(String text) {
    Parser p = new Parser(Lexer.tokenize(text));
    if (p.peek().kind() == Token.Kind.END) {
      throw new ExprError(1, "empty expression");
    }
    Node n = p.repeat();
    Token t = p.peek();
    if (t.kind() != Token.Kind.END) {
      if (t.is(")")) {
        throw new ExprError(t.column(), "unbalanced ')'");
      }
      throw new ExprError(t.column(), "unexpected " + t.describe() + " after the expression");
    }
    return n;
  }

  /**
   * A C type name such as {@code struct pt_regs *} or {@code unsigned long}, or null when text does
   * not start with one (then it is an expression).
   */
  static Node.TypeName typeOnly(String text) {
    Parser p = new Parser(Lexer.tokenize(text));
    if (!TypeNames.startsType(p.peek())) {
      return null;
    }
    Node.TypeName t = TypeNames.typeName(p);
    Token end = p.peek();
    if (end.kind() != Token.Kind.END) {
      throw new ExprError(end.column(), "unexpected " + end.describe() + " after the type name");
    }
    return t;
  }

  /** A comma-separated list of expressions (command arguments); empty text is an empty list. */
  static List<Node> parseList(String text) {
    Parser p = new Parser(Lexer.tokenize(text));
    List<Node> out = new ArrayList<>();
    if (p.peek().kind() == Token.Kind.END) {
      return out;
    }
    do {
      out.add(p.repeat());
    } while (p.accept(","));
    Token t = p.peek();
    if (t.kind() != Token.Kind.END) {
      throw new ExprError(t.column(), "expected ',' or the end of the arguments but found "
          + t.describe());
    }
    return out;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new ExprError(peek().column(), "expression nested too deeply");
    }
  }

  // ---- expressions --------------------------------------------------------------------------------

  /** gdb's {@code a@n}, the loosest operator short of the comma; left-associative. */
  private Node repeat() {
    Node left = expression();
    while (peek().is("@")) {
      int opCol = take().column();
      left = new Node.Repeat(left.col(), opCol, left, expression());
    }
    return left;
  }

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
            if (TypeNames.startsType(peek(1))) {
              take();
              Node.TypeName type = TypeNames.typeName(this);
              expect(")");
              return new Node.Cast(t.column(), type, unary());
            }
          }
          case "{" -> {
            take();
            Node.TypeName type = TypeNames.typeName(this);
            expect("}");
            return new Node.At(t.column(), type, unary());
          }
          default -> { }
        }
      }
      if (t.isIdent("sizeof")) {
        take();
        if (peek().is("(") && TypeNames.startsType(peek(1))) {
          take();
          Node.TypeName type = TypeNames.typeName(this);
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
        // C11 6.4.4.1: a constant starting with 0 is octal or hex, and may take unsigned types
        boolean decimal = !t.text().startsWith("0");
        return new Node.Literal(t.column(), t.value(), t.unsigned(), t.longs(), decimal);
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
      case HISTORY -> {
        take();
        return new Node.History(t.column(), t.text());
      }
      case IDENT -> {
        if (t.text().equals("offsetof") && peek(1).is("(")) {
          return offsetof();
        }
        if (t.text().equals("container_of") && peek(1).is("(")) {
          return containerOf();
        }
        if (t.text().equals("list_for_each_entry") && peek(1).is("(")) {
          Token name = take();
          expect("(");
          Node head = expression();
          expect(",");
          return new Node.ListEntries(name.column(), head, offsetofRest(name.column()));
        }
        if (TypeNames.startsType(t)) {
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

  private Node offsetof() {
    Token name = take();
    expect("(");
    return offsetofRest(name.column());
  }

  /**
   * {@code container_of(ptr, type, member)} (include/linux/container_of.h, kernel.h before 5.16):
   * the type's address from the address of its member.
   */
  private Node containerOf() {
    Token name = take();
    expect("(");
    Node ptr = expression();
    expect(",");
    return new Node.ContainerOf(name.column(), ptr, offsetofRest(name.column()));
  }

  /** offsetof's arguments after its parenthesis: a type, a member path, the closing one. */
  private Node.Offsetof offsetofRest(int col) {
    Node.TypeName type = TypeNames.typeName(this);
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
    return new Node.Offsetof(col, type, path, cols);
  }
}
