package kstack.lang.expr;

import java.util.ArrayList;
import java.util.List;
import kstack.layout.CType;
import kstack.machine.Machine;

/**
 * {@code list_for_each_entry(head, struct s, member)} in expressions: the kernel's list walk
 * (include/linux/list.h: from head->next through each node's next back to head, each entry the
 * node minus the member's offset, container_of) done by reading simulated memory, giving the
 * entries as a {@link Value.Seq} of {@code struct s *}. {@code [i]} picks one entry; a member
 * operator after it takes that member of every entry, as drgn's iterators are used:
 * {@code list_for_each_entry(&init_task.tasks, struct task_struct, tasks)->pid}.
 */
final class ListWalk {
  /** Entries walked at most: a list an overflow has made circular elsewhere still ends. */
  static final int MAX = 10_000;

  private ListWalk() {}

  static Value entries(Machine m, CTypes types, Evaluator ev, Node.ListEntries x) {
    long head = head(ev, types, x.head());
    long off = ev.eval(x.member()).asLong();
    CType entry = types.ptr(types.resolve(x.member().type()));
    CType word = types.voidPtr();
    List<Value> out = new ArrayList<>();
    long node = Mem.scalar(m, head, word, x.head().col());
    while (node != head) {
      if (node == 0) {
        throw new ExprError(x.col(), "list_for_each_entry: a next pointer is NULL after "
            + out.size() + " entries (not a circular list_head list)");
      }
      if (out.size() == MAX) {
        throw new ExprError(x.col(), "list_for_each_entry: more than " + MAX + " entries without"
            + " coming back to the head (a corrupt list?)");
      }
      out.add(new Value.Pointer(node - off, entry));
      node = Mem.scalar(m, node, word, x.col());
    }
    return new Value.Seq(List.copyOf(out), new CType.Array(entry, out.size()));
  }

  /** The head's address: a struct list_head object, or a pointer to one. */
  private static long head(Evaluator ev, CTypes types, Node n) {
    Value v = ev.eval(n);
    CType t = v instanceof Value.LValue lv ? lv.type()
        : v instanceof Value.Pointer p ? types.complete(p.target(), n.col()) : v.type();
    if (!(t instanceof CType.Struct s && s.layout().name().equals("list_head"))) {
      throw new ExprError(n.col(), "list_for_each_entry: the head must be a struct list_head or "
          + "a pointer to one, not " + Evaluator.describe(v));
    }
    return v instanceof Value.LValue lv ? lv.address() : v.asLong();
  }

  /** A postfix operator on the entries: [i] picks one; a member of each otherwise. */
  static Value each(Value.Seq s, Node op, Members members) {
    if (op instanceof Node.Index x) {
      long i = members.indexOf(x);
      if (i < 0 || i >= s.items().size()) {
        throw new ExprError(x.opCol(), "index " + i + " is outside the list's " + s.items().size()
            + " entries");
      }
      return s.items().get((int) i);
    }
    List<Value> out = new ArrayList<>();
    for (Value e : s.items()) {
      out.add(members.apply(op, e));
    }
    CType t = out.isEmpty() ? s.type() : new CType.Array(out.get(0).type(), out.size());
    return new Value.Seq(List.copyOf(out), t);
  }
}
