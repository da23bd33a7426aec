package kstack.lang.expr;

import java.util.Set;

/**
 * Type names as C writes them in casts, sizeof and offsetof: the built-in words in any order C allows
 * ("unsigned long int", "long unsigned"), struct NAME, the kernel's u8..u64 typedefs, qualifiers and
 * '*'s. What a name means (its size on the profile's data model) is decided later by {@link CTypes}.
 */
final class TypeNames {
  /** Words of C's built-in type names. */
  private static final Set<String> TYPE_WORDS = Set.of("unsigned", "signed", "char", "short", "int",
      "long", "void", "_Bool", "bool", "const", "volatile", "struct", "union", "enum");

  private TypeNames() {}

  /** Whether a token begins a type name (a built-in type word, struct, or a kernel typedef). */
  static boolean startsType(Token t) {
    return t.kind() == Token.Kind.IDENT
        && (TYPE_WORDS.contains(t.text()) || CTypes.isTypedef(t.text()));
  }

  static Node.TypeName typeName(Cursor c) {
    Token first = c.peek();
    if (!startsType(first)) {
      throw new ExprError(first.column(), "expected a type name but found " + first.describe());
    }
    while (c.peek().isIdent("const") || c.peek().isIdent("volatile")) {
      c.take();
    }
    String base;
    if (c.peek().isIdent("struct")) {
      c.take();
      base = "struct " + c.expectIdent("a struct name after 'struct'");
    } else if (c.peek().isIdent("union") || c.peek().isIdent("enum")) {
      throw new ExprError(c.peek().column(), c.peek().text() + " types are not modelled; "
          + "only structs and integer types are");
    } else {
      base = builtinBase(c);
    }
    while (c.peek().isIdent("const") || c.peek().isIdent("volatile")) {
      c.take();
    }
    int pointers = 0;
    while (c.peek().is("*")) {
      c.take();
      pointers++;
      while (c.peek().isIdent("const") || c.peek().isIdent("volatile")) {
        c.take();
      }
    }
    return new Node.TypeName(first.column(), base, pointers);
  }

  /** Reads words such as "unsigned long int" or "u64" and gives the canonical name. */
  private static String builtinBase(Cursor c) {
    boolean unsigned = false;
    boolean signed = false;
    int longs = 0;
    String core = null;
    boolean hasInt = false;
    int words = 0;
    while (c.peek().kind() == Token.Kind.IDENT) {
      String w = c.peek().text();
      if (w.equals("const") || w.equals("volatile")) {
        c.take();
        continue;
      }
      if (CTypes.isTypedef(w) || w.equals("void") || w.equals("_Bool") || w.equals("bool")) {
        if (words > 0) {
          break;
        }
        c.take();
        return w.equals("_Bool") ? "bool" : w;
      }
      int col = c.peek().column();
      switch (w) {
        case "unsigned", "signed" -> {
          if (unsigned || signed) {
            throw new ExprError(col, "invalid type name: a second '" + w + "'");
          }
          unsigned = w.equals("unsigned");
          signed = !unsigned;
        }
        case "long" -> {
          if (++longs > 2 || "char".equals(core) || "short".equals(core)) {
            throw new ExprError(col, "invalid type name: '" + (longs > 2 ? "long long" : core)
                + "' cannot be followed by 'long'");
          }
        }
        case "int" -> {
          if (hasInt || "char".equals(core)) {
            throw new ExprError(col, "invalid type name: 'int' after '" + (hasInt ? "int" : core)
                + "'");
          }
          hasInt = true;
        }
        case "char", "short" -> {
          if (core != null || hasInt && w.equals("char") || longs > 0) {
            throw new ExprError(col, "invalid type name: '" + w + "' after '"
                + (core != null ? core : hasInt ? "int" : "long") + "'");
          }
          core = w;
        }
        default -> {
          return canonical(unsigned, signed, longs, core);
        }
      }
      c.take();
      words++;
    }
    return canonical(unsigned, signed, longs, core);
  }

  private static String canonical(boolean unsigned, boolean signed, int longs, String core) {
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
