package kstack.lang.expr;

import kstack.image.Symbol;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.machine.Machine;

/**
 * Evaluates a parsed expression against a machine with C semantics: lvalues stay in memory until their
 * value is needed (so {@code &init_task} and {@code init_task.comm} never copy the struct), arrays decay
 * to pointers, pointer arithmetic scales by the target's size ({@code void *} by 1, as gcc does), and
 * integer arithmetic follows C on the profile's data model ({@link Arithmetic}).
 */
final class Evaluator {
  private final Machine m;
  private final CTypes types;
  private final Names names;
  private final Helpers helpers;
  private final Arithmetic arith;
  private final Members members;
  private final Variables vars;

  Evaluator(Machine m, Variables vars) {
    this.m = m;
    this.vars = vars;
    this.types = new CTypes(m);
    this.names = new Names(m, types, vars::frameSlot);
    this.helpers = new Helpers(m, types, this, names);
    this.arith = new Arithmetic(types);
    this.members = new Members(m, types, this, arith);
  }

  /** The value of n; an object in memory stays an lvalue. */
  Value eval(Node n) {
    if (n instanceof Node.Literal x) {
      return new Value.Int(x.value(), types.literal(x.value(), x.unsigned(), x.longs(), x.decimal()));
    }
    if (n instanceof Node.Num x) {
      CType.Int t = (CType.Int) types.resolve(x.type());
      return new Value.Int(CTypes.normalize(x.value(), t), t);
    }
    if (n instanceof Node.Str x) {
      return new Value.Str(x.text());
    }
    if (n instanceof Node.Reg x) {
      return variableOrRegister(x);
    }
    if (n instanceof Node.History x) {
      return vars.history(x.spelling(), x.col());
    }
    if (n instanceof Node.Repeat x) {
      return repeat(x);
    }
    if (n instanceof Node.Ident x) {
      return names.identifier(x.name(), x.col());
    }
    if (n instanceof Node.Unary x) {
      return unary(x);
    }
    if (n instanceof Node.Cast x) {
      return cast(types.resolve(x.type()), rvalue(x.operand()), x.col());
    }
    if (n instanceof Node.At x) {
      return at(x);
    }
    if (n instanceof Node.SizeofType x) {
      return sizeOf(types.resolve(x.type()), x.col());
    }
    if (n instanceof Node.SizeofExpr x) {
      return sizeOf(eval(x.operand()).type(), x.col());
    }
    if (n instanceof Node.Offsetof x) {
      return offsetof(x);
    }
    if (n instanceof Node.ContainerOf x) {
      long member = number(x.pointer(), "a member's address");
      long addr = member - offsetof(x.member()).asLong();
      return new Value.Pointer(addr, types.ptr(types.resolve(x.member().type())));
    }
    if (n instanceof Node.ListEntries x) {
      return ListWalk.entries(m, types, this, x);
    }
    if (n instanceof Node.Binary x) {
      return binary(x);
    }
    if (n instanceof Node.Cond x) {
      return conditional(x);
    }
    if (n instanceof Node.Member || n instanceof Node.Index) {
      return members.chain(n);
    }
    return helpers.call((Node.Call) n);
  }

  /**
   * The value of n as an operand: a scalar lvalue is read, an array lvalue decays to a pointer to its
   * first element; a struct lvalue stays as it is (only . & and sizeof accept it).
   */
  Value rvalue(Node n) {
    return load(eval(n), readCol(n));
  }

  Value load(Value v, int col) {
    if (!(v instanceof Value.LValue lv)) {
      return v;
    }
    CType t = lv.type();
    if (t instanceof CType.Array a) {
      return new Value.Pointer(lv.address(), types.ptr(a.element()));
    }
    if (t instanceof CType.Int) {
      return new Value.Int(Mem.scalar(m, lv.address(), t, col), t);
    }
    if (t instanceof CType.Ptr) {
      return new Value.Pointer(Mem.scalar(m, lv.address(), t, col), t);
    }
    return v;
  }

  /** Where to point when reading the object n denotes fails: the member, the index, the name. */
  static int readCol(Node n) {
    if (n instanceof Node.Member x) {
      return x.nameCol();
    }
    if (n instanceof Node.Index x) {
      return x.opCol();
    }
    return n.col();
  }

  /** An operand that must be an integer or pointer; its numeric value. */
  long number(Node n, String what) {
    return number(rvalue(n), n.col(), what);
  }

  long number(Value v, int col, String what) {
    if (v instanceof Value.Str) {
      throw new ExprError(col, what + " cannot be a string literal");
    }
    if (v instanceof Value.LValue lv) {
      throw new ExprError(col, what + " cannot be a " + CTypes.name(lv.type())
          + " (it is not a scalar)");
    }
    return v.asLong();
  }

  boolean truth(Value v, int col) {
    return number(v, col, "a condition") != 0;
  }

  // ---- unary operators -------------------------------------------------------------------------

  private Value unary(Node.Unary x) {
    switch (x.op()) {
      case "&":
        return addressOf(x.operand(), x.col());
      case "*":
        return deref(rvalue(x.operand()), x.col());
      case "!":
        return bool(!truth(rvalue(x.operand()), x.operand().col()));
      default:
        break;
    }
    Value v = rvalue(x.operand());
    if (!(v instanceof Value.Int i)) {
      throw new ExprError(x.col(), "unary '" + x.op() + "' needs an integer operand, not "
          + describe(v));
    }
    CType t = arith.arithmeticType(i);
    long r = switch (x.op()) {
      case "-" -> -i.value();
      case "~" -> ~i.value();
      default -> i.value();
    };
    return new Value.Int(r, t);
  }

  Value addressOf(Node operand, int col) {
    if (operand instanceof Node.Ident id) {
      Symbol s = m.symbols().get(id.name());
      if (s != null && (s.kind() == Symbol.Kind.LABEL || s.type() == null)) {
        return names.identifier(id.name(), id.col()); // a label already is its address
      }
    }
    Value v = eval(operand);
    if (v instanceof Value.LValue lv) {
      return new Value.Pointer(lv.address(), types.ptr(lv.type()));
    }
    if (v instanceof Value.Code) {
      return v;
    }
    throw new ExprError(col, "cannot take the address of " + describe(v)
        + ": it is not an object in memory");
  }

  Value deref(Value v, int col) {
    if (v instanceof Value.Pointer p) {
      CType target = types.complete(p.target(), col);
      if (target instanceof CType.Void) {
        throw new ExprError(col, "cannot dereference a void * (cast it first, e.g. "
            + "*(unsigned long *)p)");
      }
      return new Value.LValue(p.address(), target, m);
    }
    if (v instanceof Value.Code) {
      throw new ExprError(col, "cannot dereference a function");
    }
    if (v instanceof Value.Int i) {
      throw new ExprError(col, "cannot dereference an integer (cast it to a pointer first, e.g. "
          + "*(unsigned long *)0x" + Long.toHexString(i.value()) + ")");
    }
    throw new ExprError(col, "cannot dereference " + describe(v));
  }

  // ---- casts, sizeof, offsetof, {type} addr --------------------------------------------------

  private Value cast(CType to, Value v, int col) {
    if (to instanceof CType.Struct || to instanceof CType.Array || to instanceof CType.Void) {
      throw new ExprError(col, "cannot cast to " + CTypes.name(to)
          + " (only to integer and pointer types)");
    }
    long n = number(v, col, "the operand of a cast");
    if (to instanceof CType.Int i) {
      return new Value.Int(CTypes.convert(n, i), i);
    }
    return new Value.Pointer(n, to);
  }

  private Value at(Node.At x) {
    CType t = types.resolve(x.type());
    if (t instanceof CType.Void) {
      throw new ExprError(x.col(), "{void} has no size to read");
    }
    return new Value.LValue(number(x.address(), "the address"), t, m);
  }

  /** gdb's rule: a register's name is the register; any other $name a convenience variable. */
  private Value variableOrRegister(Node.Reg x) {
    var regs = m.arch().registers();
    if (regs.has(regs.resolve(x.name()))) {
      return names.register(x.name(), x.col());
    }
    Value v = vars.variable(x.name());
    if (v == null) {
      throw new ExprError(x.col(), "$" + x.name() + " is neither a register of " + m.arch().name()
          + " nor a convenience variable ('set $" + x.name() + " = EXPR' sets one)");
    }
    return v;
  }

  /** The most bytes one {@code a@n} may cover (a stack of THREAD_SIZE fits many times over). */
  private static final long REPEAT_LIMIT = 1 << 20;

  /** {@code first@count}: an array of count objects of first's type, starting where first lies. */
  private Value repeat(Node.Repeat x) {
    Value first = eval(x.first());
    if (!(first instanceof Value.LValue lv)) {
      throw new ExprError(x.opCol(), "only an object in memory can be extended with '@'");
    }
    long n = number(x.count(), "the repeat count");
    CType element = types.complete(lv.type(), x.col());
    long size = element.size();
    if (n < 1 || n * Math.max(size, 1) > REPEAT_LIMIT) {
      throw new ExprError(x.count().col(), "repeat count " + n + " must be 1 or more and cover at"
          + " most " + REPEAT_LIMIT + " bytes");
    }
    return new Value.LValue(lv.address(), new CType.Array(element, (int) n), m);
  }

  private Value sizeOf(CType t, int col) {
    CType c = types.complete(t, col);
    return new Value.Int(c.size(), types.ulong());
  }

  private Value offsetof(Node.Offsetof x) {
    CType t = types.resolve(x.type());
    long off = 0;
    for (int i = 0; i < x.path().size(); i++) {
      String step = x.path().get(i);
      int col = x.pathCols().get(i);
      if (step.startsWith("[")) {
        if (!(t instanceof CType.Array a)) {
          throw new ExprError(col, CTypes.name(t) + " is not an array");
        }
        off += Long.parseLong(step.substring(1, step.length() - 1)) * a.element().size();
        t = a.element();
      } else {
        Field f = members.field(t, step, col);
        off += f.offset();
        t = f.type();
      }
    }
    return new Value.Int(off, types.ulong());
  }

  // ---- binary operators ----------------------------------------------------------------------

  /**
   * A binary operator. A chain of left-associative operators (a + b + c ...) is a left-leaning tree
   * as deep as the chain is long; it is walked down its left spine and folded back up in a loop, so a
   * flat sum of any length evaluates (only true nesting is limited, by the parser).
   */
  private Value binary(Node.Binary x) {
    java.util.ArrayDeque<Node.Binary> spine = new java.util.ArrayDeque<>();
    Node n = x;
    while (n instanceof Node.Binary b) {
      spine.push(b);
      n = b.left();
    }
    Value acc = null;
    Node left = n;
    while (!spine.isEmpty()) {
      Node.Binary b = spine.pop();
      acc = apply(b, left, acc);
      left = b;
    }
    return acc;
  }

  /** One operator of a chain: its left operand is node left, already evaluated as acc (or null). */
  private Value apply(Node.Binary x, Node left, Value acc) {
    if (x.op().equals("&&") || x.op().equals("||")) {
      boolean l = truth(acc != null ? acc : rvalue(left), left.col());
      boolean and = x.op().equals("&&");
      if (l != and) {
        return bool(l);
      }
      return bool(truth(rvalue(x.right()), x.right().col()));
    }
    Value a = operand(left, acc, x.op());
    Value b = operand(x.right(), null, x.op());
    return switch (x.op()) {
      case "+" -> arith.add(a, b, x.opCol());
      case "-" -> arith.subtract(a, b, x.opCol());
      case "==", "!=", "<", "<=", ">", ">=" -> bool(arith.compare(x.op(), a, b));
      default -> arith.integerOp(x.op(), a, b, x.opCol());
    };
  }

  /**
   * ?: (C11 6.5.15): two integer arms are brought to their common type, whichever is chosen. The
   * other arm is looked at only for its type: its object is not read (so {@code p ? p->pid : 0} with
   * p NULL is fine), and an arm that cannot even be located leaves the chosen value as it is.
   */
  private Value conditional(Node.Cond x) {
    boolean test = truth(rvalue(x.test()), x.test().col());
    Value chosen = rvalue(test ? x.then() : x.otherwise());
    if (!(chosen instanceof Value.Int i)) {
      return chosen;
    }
    CType other;
    try {
      other = eval(test ? x.otherwise() : x.then()).type();
    } catch (ExprError | kstack.mem.MemoryFault e) {
      return chosen;
    }
    return other instanceof CType.Int o
        ? new Value.Int(i.value(), types.common((CType.Int) i.type(), o)) : chosen;
  }

  /** An operand of a binary operator: an integer, pointer or function, never a struct or string. */
  private Value operand(Node n, Value evaluated, String op) {
    Value v = evaluated != null ? evaluated : rvalue(n);
    if (v instanceof Value.Str || v instanceof Value.LValue) {
      throw new ExprError(n.col(), "invalid operand of '" + op + "': " + describe(v));
    }
    return v;
  }

  Value bool(boolean b) {
    return new Value.Int(b ? 1 : 0, types.intT());
  }

  /** How a value reads in an error message: its C type. */
  static String describe(Value v) {
    if (v instanceof Value.Str) {
      return "a string literal";
    }
    if (v instanceof Value.Code) {
      return "a function";
    }
    if (v instanceof Value.Seq) {
      return "the entries of a list";
    }
    if (v instanceof Value.LValue lv && lv.type() instanceof CType.Struct) {
      return "a " + CTypes.name(lv.type());
    }
    return "a value of type " + CTypes.name(v.type());
  }
}
