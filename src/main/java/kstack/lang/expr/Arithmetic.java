package kstack.lang.expr;

import kstack.layout.CType;

/**
 * C's binary arithmetic over integers and pointers on the profile's data model (ILP32 on i386, LP64
 * elsewhere): integer operands go through the usual arithmetic conversions and the result wraps at
 * the width of its type (signed overflow too: the kernel builds with -fno-strict-overflow,
 * Makefile@2.6.32.67:575, @4.16.13:827, @6.19:1090; 2.4 and 2.6.11 predate the flag);
 * shifts take the promoted type of their left operand; pointer +/- integer scales by the target's
 * size, pointer - pointer counts elements, and pointers compare as unsigned addresses of pointer width.
 */
final class Arithmetic {
  private final CTypes types;

  Arithmetic(CTypes types) {
    this.types = types;
  }

  private static boolean isPointer(Value v) {
    return v instanceof Value.Pointer || v instanceof Value.Code;
  }

  Value add(Value a, Value b, int col) {
    if (isPointer(a) && isPointer(b)) {
      throw new ExprError(col, "cannot add two pointers");
    }
    if (isPointer(a)) {
      return offset(asPointer(a), b.asLong(), col);
    }
    if (isPointer(b)) {
      return offset(asPointer(b), a.asLong(), col);
    }
    return new Value.Int(a.asLong() + b.asLong(), type(a, b));
  }

  Value subtract(Value a, Value b, int col) {
    if (isPointer(a) && isPointer(b)) {
      Value.Pointer p = asPointer(a);
      Value.Pointer q = asPointer(b);
      int sp = types.strideOf((CType.Ptr) p.type(), col);
      int sq = types.strideOf((CType.Ptr) q.type(), col);
      if (sp != sq) {
        throw new ExprError(col, "cannot subtract " + CTypes.name(q.type()) + " from "
            + CTypes.name(p.type()) + ": the targets differ in size");
      }
      // ptrdiff_t: the difference of two addresses of pointer width, as a signed long
      long diff = new Value.Int(p.address() - q.address(), types.slong()).value();
      return new Value.Int(diff / sp, types.slong());
    }
    if (isPointer(a)) {
      return offset(asPointer(a), -b.asLong(), col);
    }
    if (isPointer(b)) {
      throw new ExprError(col, "cannot subtract a pointer from an integer");
    }
    return new Value.Int(a.asLong() - b.asLong(), type(a, b));
  }

  /** A function's address takes part in arithmetic as a {@code void *} (gcc's extension). */
  private Value.Pointer asPointer(Value v) {
    return v instanceof Value.Code c ? new Value.Pointer(c.address(), types.voidPtr())
        : (Value.Pointer) v;
  }

  /** p + n elements; the address wraps at the pointer width. */
  Value.Pointer offset(Value.Pointer p, long n, int col) {
    int stride = types.strideOf((CType.Ptr) p.type(), col);
    return new Value.Pointer(p.address() + n * stride, p.type());
  }

  /** A comparison; pointers compare as unsigned addresses, integers after the usual conversions. */
  boolean compare(String op, Value a, Value b) {
    CType.Int t = type(a, b);
    long x = new Value.Int(a.asLong(), t).value();
    long y = new Value.Int(b.asLong(), t).value();
    boolean unsigned = isPointer(a) || isPointer(b) || !t.signed();
    int c = unsigned ? Long.compareUnsigned(x, y) : Long.compare(x, y);
    return switch (op) {
      case "==" -> x == y;
      case "!=" -> x != y;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  /**
   * * / % << >> & | ^. Pointers here count as unsigned long, as in gdb, so idioms such as
   * {@code $rsp & ~(THREAD_SIZE - 1)} need no cast.
   */
  Value integerOp(String op, Value a, Value b, int col) {
    if (op.equals("<<") || op.equals(">>")) {
      return shift(op, a, b, col);
    }
    CType.Int t = type(a, b);
    boolean unsigned = !t.signed();
    long x = new Value.Int(a.asLong(), t).value();
    long y = new Value.Int(b.asLong(), t).value();
    long r = switch (op) {
      case "*" -> x * y;
      case "/", "%" -> {
        if (y == 0) {
          throw new ExprError(col, "division by zero");
        }
        if (!unsigned && y == -1 && x == Long.MIN_VALUE >> (64 - 8 * t.size())) {
          // the one signed quotient that does not fit: x86's idiv raises #DE for it
          throw new ExprError(col, "division overflow: " + x + " / -1 does not fit in "
              + CTypes.name(t));
        }
        if (op.equals("/")) {
          yield unsigned ? Long.divideUnsigned(x, y) : x / y;
        }
        yield unsigned ? Long.remainderUnsigned(x, y) : x % y;
      }
      case "&" -> x & y;
      case "|" -> x | y;
      case "^" -> x ^ y;
      default -> throw new ExprError(col, "unknown operator " + op);
    };
    return new Value.Int(r, t);
  }

  /**
   * A shift has the promoted type of its left operand (C11 6.5.7), and a count outside 0 to its width
   * minus 1 is undefined, so it is an error rather than a guess.
   */
  private Value shift(String op, Value a, Value b, int col) {
    CType.Int t = arithmeticType(a);
    long x = new Value.Int(a.asLong(), t).value();
    long y = b.asLong();
    int bits = t.size() * 8;
    boolean countUnsigned = !arithmeticType(b).signed();
    if ((!countUnsigned && y < 0) || Long.compareUnsigned(y, bits) >= 0) {
      throw new ExprError(col, "shift count " + (countUnsigned ? Long.toUnsignedString(y) : y)
          + " is out of range for " + CTypes.name(t) + " (0 to " + (bits - 1) + ")");
    }
    long r = op.equals("<<") ? x << y : t.signed() ? x >> y : x >>> y;
    return new Value.Int(r, t);
  }

  /**
   * The type of an arithmetic result: the usual arithmetic conversions of both operands' types, a
   * pointer counting as unsigned long.
   */
  CType.Int type(Value a, Value b) {
    return types.common(arithmeticType(a), arithmeticType(b));
  }

  /** The promoted integer type a value takes part in arithmetic with. */
  CType.Int arithmeticType(Value v) {
    if (v instanceof Value.Int i && i.type() instanceof CType.Int t) {
      return types.promote(t);
    }
    return (CType.Int) types.ulong();
  }
}
