package kstack.lang.expr;

import kstack.layout.CType;
import kstack.layout.Field;
import kstack.machine.Machine;

/**
 * Renders a value the way gdb's {@code print} does: integers in decimal (unsigned types unsigned),
 * pointers as {@code (type *) 0x... <symbol>}, functions as {@code 0x... <name>}, char arrays as C
 * strings, structs as {@code {a = 1, b = {c = 2}}} and arrays with {@code <repeats N times>} and gdb's
 * 200-element limit. A format letter (x d u o t c a) applies to every scalar, as {@code p/x} does.
 */
final class Formatter {
  /** gdb's default "print elements" and "print repeats". */
  static final int ELEMENT_LIMIT = 200;
  static final int REPEAT_THRESHOLD = 10;

  private final Machine m;
  private final char fmt;

  Formatter(Machine m, char fmt) {
    if ("\0xduotca".indexOf(fmt) < 0) {
      throw new ExprError(1, "undefined output format '" + fmt + "' (use x, d, u, o, t, c or a)");
    }
    this.m = m;
    this.fmt = fmt;
  }

  String top(Value v) {
    if (v instanceof Value.Str s) {
      byte[] b = s.bytes();
      byte[] z = java.util.Arrays.copyOf(b, b.length + 1);
      return fmt == 0 ? quote(b, b.length) : array(z, 0, (CType.Array) s.type());
    }
    if (v instanceof Value.Code c) {
      return fmt == 0 ? hex(c.address()) + symbol(c.address()) : scalar(c.address(), c.type(), true);
    }
    if (v instanceof Value.LValue lv) {
      CType t = lv.type();
      if (t instanceof CType.Int || t instanceof CType.Ptr) {
        return scalar(Mem.scalar(m, lv.address(), t, 1), t, true);
      }
      byte[] b = Mem.bytes(m, lv.address(), t.size(), 1);
      return aggregate(b, 0, t);
    }
    if (v instanceof Value.Seq s) {
      java.util.List<String> items = new java.util.ArrayList<>();
      for (Value e : s.items().subList(0, Math.min(s.items().size(), ELEMENT_LIMIT))) {
        items.add(e instanceof Value.LValue ? top(e) : scalar(e.asLong(), e.type(), false));
      }
      return "{" + String.join(", ", items) + (s.items().size() > ELEMENT_LIMIT ? ", ...}" : "}");
    }
    return scalar(v.asLong(), v.type(), true);
  }

  /** An object of type t whose bytes are b, as {@link #top} renders it from memory. */
  String ofBytes(byte[] b, CType t) {
    if (t instanceof CType.Int || t instanceof CType.Ptr) {
      return scalar(Mem.decode(b, 0, t), t, true);
    }
    return aggregate(b, 0, t);
  }

  private String aggregate(byte[] b, int off, CType t) {
    if (t instanceof CType.Struct s) {
      StringBuilder sb = new StringBuilder("{");
      for (Field f : s.layout().fields()) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(f.name()).append(" = ").append(aggregate(b, off + f.offset(), f.type()));
      }
      return sb.append('}').toString();
    }
    if (t instanceof CType.Array a) {
      if (fmt == 0 && CTypes.isCharType(a.element())) {
        return quote(java.util.Arrays.copyOfRange(b, off, off + a.size()), a.size());
      }
      return array(b, off, a);
    }
    return scalar(Mem.decode(b, off, t), t, false);
  }

  /** {e0, e1, x <repeats 12 times>, ...}: runs of 10 or more identical elements collapse. */
  private String array(byte[] b, int off, CType.Array a) {
    int es = a.element().size();
    StringBuilder sb = new StringBuilder("{");
    int items = 0;
    for (int i = 0; i < a.length(); ) {
      if (items > 0) {
        sb.append(", ");
      }
      if (items >= ELEMENT_LIMIT) {
        sb.append("...");
        break;
      }
      int j = i + 1;
      while (j < a.length() && java.util.Arrays.equals(b, off + i * es, off + (i + 1) * es,
          b, off + j * es, off + (j + 1) * es)) {
        j++;
      }
      String e = aggregate(b, off + i * es, a.element());
      if (j - i >= REPEAT_THRESHOLD) {
        sb.append(e).append(" <repeats ").append(j - i).append(" times>");
        i = j;
      } else {
        sb.append(e);
        i++;
      }
      items++;
    }
    return sb.append('}').toString();
  }

  /** One integer or pointer; top says whether gdb would prefix a pointer with its type. */
  String scalar(long v, CType t, boolean top) {
    int size = t.size();
    switch (fmt) {
      case 'x':
        return hex(CTypes.truncate(v, size));
      case 'o':
        long o = CTypes.truncate(v, size);
        return o == 0 ? "0" : "0" + Long.toOctalString(o);
      case 't':
        return Long.toBinaryString(CTypes.truncate(v, size));
      case 'd':
        return Long.toString(CTypes.normalize(v, new CType.Int("", size, true)));
      case 'u':
        return Long.toUnsignedString(CTypes.truncate(v, size));
      case 'c':
        return charValue(CTypes.normalize(v, new CType.Int("char", 1, true)));
      case 'a':
        long addr = CTypes.truncate(v, m.arch().types().word); // an address is pointer-wide
        return hex(addr) + symbol(addr);
      default:
        break;
    }
    if (t instanceof CType.Ptr p) {
      if (CTypes.isCharType(p.target())) {
        return v == 0 ? "0x0" : hex(v) + " " + cString(v);
      }
      return (top ? "(" + CTypes.name(t) + ") " : "") + hex(v) + symbol(v);
    }
    if (CTypes.isCharType(t)) {
      return charValue(v);
    }
    return CTypes.isUnsigned(t) ? Long.toUnsignedString(v) : Long.toString(v);
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  /** " <name+0xoff>" when the address is in a symbol of the image. */
  private String symbol(long addr) {
    if (addr == 0) {
      return "";
    }
    String s = m.symbols().describe(addr);
    return s == null ? "" : " <" + s + ">";
  }

  /** The C string a char * points to, or gdb's error note when it cannot be read. */
  private String cString(long addr) {
    byte[] b = new byte[ELEMENT_LIMIT];
    int n = 0;
    try {
      for (; n < ELEMENT_LIMIT; n++) {
        b[n] = (byte) m.inspector().read(addr + n, 1);
        if (b[n] == 0) {
          return quote(b, n);
        }
      }
    } catch (kstack.mem.MemoryFault f) {
      if (n == 0) {
        return String.format("<error: cannot access memory at address 0x%x>", f.address());
      }
    }
    return quote(b, n) + "...";
  }

  /** A char array as a C string: up to the first NUL, with C escapes. */
  static String quote(byte[] b, int len) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < len && b[i] != 0; i++) {
      sb.append(escape(b[i] & 0xFF, '"'));
    }
    return sb.append('"').toString();
  }

  /** gdb's char display: 105 'i', 0 '\000'. */
  static String charValue(long v) {
    return v + " '" + escape((int) v & 0xFF, '\'') + "'";
  }

  private static String escape(int c, char quote) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\t':
        return "\\t";
      case '\r':
        return "\\r";
      case '\\':
        return "\\\\";
      case 7:
        return "\\a";
      case 8:
        return "\\b";
      case 12:
        return "\\f";
      case 11:
        return "\\v";
      case 27:
        return "\\033";
      default:
        break;
    }
    if (c == quote) {
      return "\\" + quote;
    }
    if (c < 0x20 || c >= 0x7f) {
      return String.format("\\%03o", c);
    }
    return String.valueOf((char) c);
  }
}
