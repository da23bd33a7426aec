package kstack.lang.expr;

import kstack.layout.CType;

/**
 * C's binary arithmetic over integers and pointers: pointer +/- integer scales by the target's size,
 * pointer - pointer counts elements, comparisons are unsigned when a pointer or unsigned 64-bit value
 * takes part, and integer results are 64-bit two's complement.
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
      return new Value.Int((p.address() - q.address()) / sp, types.slong());
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

  /** p + n elements. */
  Value.Pointer offset(Value.Pointer p, long n, int col) {
    int stride = types.strideOf((CType.Ptr) p.type(), col);
    return new Value.Pointer(p.address() + n * stride, p.type());
  }

  /** A comparison; pointers compare as unsigned addresses. */
  boolean compare(String op, Value a, Value b) {
    long x = a.asLong();
    long y = b.asLong();
    boolean unsigned = isPointer(a) || isPointer(b) || CTypes.isUnsigned(type(a, b));
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
    CType t = type(a, b);
    boolean unsigned = CTypes.isUnsigned(t);
    long x = a.asLong();
    long y = b.asLong();
    long r = switch (op) {
      case "*" -> x * y;
      case "/", "%" -> {
        if (y == 0) {
          throw new ExprError(col, "division by zero");
        }
        if (op.equals("/")) {
          yield unsigned ? Long.divideUnsigned(x, y) : x / y;
        }
        yield unsigned ? Long.remainderUnsigned(x, y) : x % y;
      }
      case "<<", ">>" -> {
        if (y < 0 || y > 63) {
          throw new ExprError(col, "shift count " + y + " is out of range (0 to 63)");
        }
        yield op.equals("<<") ? x << y : unsigned ? x >>> y : x >> y;
      }
      case "&" -> x & y;
      case "|" -> x | y;
      case "^" -> x ^ y;
      default -> throw new ExprError(col, "unknown operator " + op);
    };
    return new Value.Int(r, t);
  }

  /**
   * The type of an arithmetic result: unsigned long when either side is a pointer or an unsigned
   * 64-bit integer, long otherwise (arithmetic is done in 64 bits, so int operands do not wrap).
   */
  CType type(Value a, Value b) {
    return unsigned64(a) || unsigned64(b) ? types.ulong() : types.slong();
  }

  private static boolean unsigned64(Value v) {
    if (!(v instanceof Value.Int i)) {
      return true;
    }
    return i.type().size() >= 8 && CTypes.isUnsigned(i.type());
  }

}
