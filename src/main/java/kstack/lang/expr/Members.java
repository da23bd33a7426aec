package kstack.lang.expr;

import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/**
 * The postfix operators that name an object: {@code .member}, {@code ->member} and {@code [index]}.
 * A chain of them ({@code init_task.tasks.next->next->...}) is a left-leaning tree as deep as the
 * chain is long; it is evaluated in a loop from its innermost base outwards, so a list walked through
 * any number of {@code ->next} evaluates (only true nesting is limited, by the parser).
 */
final class Members {
  private final Machine m;
  private final CTypes types;
  private final Evaluator ev;
  private final Arithmetic arith;

  Members(Machine m, CTypes types, Evaluator ev, Arithmetic arith) {
    this.m = m;
    this.types = types;
    this.ev = ev;
    this.arith = arith;
  }

  /** The value of a Member or Index node: its object, an lvalue. */
  Value chain(Node n) {
    java.util.ArrayDeque<Node> spine = new java.util.ArrayDeque<>();
    Node base = n;
    while (base instanceof Node.Member || base instanceof Node.Index) {
      spine.push(base);
      base = base instanceof Node.Member x ? x.base() : ((Node.Index) base).base();
    }
    Value v = ev.eval(base);
    while (!spine.isEmpty()) {
      Node op = spine.pop();
      v = v instanceof Value.Seq s ? ListWalk.each(s, op, this)
          : op instanceof Node.Member x ? member(x, v) : index((Node.Index) op, v);
    }
    return v;
  }

  /** One postfix operator applied to one value (an entry of a list). */
  Value apply(Node op, Value v) {
    return op instanceof Node.Member x ? member(x, v) : index((Node.Index) op, v);
  }

  /** base.name or base->name, where based is what x's base evaluated to (not yet read). */
  private Value member(Node.Member x, Value based) {
    Value base;
    if (x.arrow()) {
      Value p = ev.load(based, Evaluator.readCol(x.base()));
      if (p instanceof Value.LValue lv && lv.type() instanceof CType.Struct) {
        throw new ExprError(x.opCol(), CTypes.name(lv.type()) + " is not a pointer; use '.'");
      }
      if (!(p instanceof Value.Pointer)) {
        throw new ExprError(x.opCol(), "'->' needs a pointer to a struct, not "
            + Evaluator.describe(p));
      }
      base = ev.deref(p, x.opCol());
    } else {
      base = based;
      if (base instanceof Value.Pointer p
          && types.complete(p.target(), x.col()) instanceof CType.Struct) {
        throw new ExprError(x.opCol(), CTypes.name(p.type()) + " is a pointer; use '->'");
      }
    }
    if (!(base instanceof Value.LValue lv) || !(lv.type() instanceof CType.Struct)) {
      throw new ExprError(x.nameCol(), "cannot take member '" + x.name() + "' of "
          + Evaluator.describe(base) + ": it is not a struct");
    }
    Field f = field(lv.type(), x.name(), x.nameCol());
    return new Value.LValue(lv.address() + f.offset(), f.type(), m);
  }

  Field field(CType t, String name, int col) {
    if (!(t instanceof CType.Struct s)) {
      throw new ExprError(col, CTypes.name(t) + " has no members (it is not a struct)");
    }
    StructLayout l = s.layout();
    if (!l.has(name)) {
      throw new ExprError(col, "struct " + l.name() + " has no member named '" + name + "'"
          + kstack.profile.MemberNotes.whyMissing(m.profile(), l.name(), name)
              .map(why -> ": " + why).orElse(""));
    }
    return l.field(name);
  }

  /** The index of x, evaluated. */
  long indexOf(Node.Index x) {
    return ev.number(x.index(), "an index");
  }

  private Value index(Node.Index x, Value based) {
    Value base = ev.load(based, Evaluator.readCol(x.base()));
    if (!(base instanceof Value.Pointer p)) {
      throw new ExprError(x.opCol(), "cannot index " + Evaluator.describe(base)
          + ": it is not an array or pointer");
    }
    long i = ev.number(x.index(), "an index");
    return ev.deref(arith.offset(p, i, x.opCol()), x.opCol());
  }
}
