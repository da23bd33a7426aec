package kstack.lang.expr;

import java.util.List;

/**
 * The parsed form of an expression. Every node keeps the 1-based column where it starts, so an error
 * found while evaluating it (a fault reading memory, an unknown member) can point at that part of the
 * text; operators also keep the column of the operator itself.
 */
sealed interface Node {
  int col();

  /** A character literal (or a constant of a known type); {@code type} is its C type. */
  record Num(int col, long value, TypeName type) implements Node {}

  /**
   * An integer constant as written: its value, its suffix (u, and 0, 1 or 2 l's) and whether it is
   * decimal; its type depends on the data model, so the evaluator decides it (C11 6.4.4.1).
   */
  record Literal(int col, long value, boolean unsigned, int longs, boolean decimal) implements Node {}

  record Str(int col, String text) implements Node {}

  /** {@code $name}: a register of the selected CPU, else a convenience variable. */
  record Reg(int col, String name) implements Node {}

  /** gdb's value history as written: {@code $}, {@code $N}, {@code $$}, {@code $$N}. */
  record History(int col, String spelling) implements Node {}

  /** gdb's artificial array {@code first@count}: count objects from where first lies. */
  record Repeat(int col, int opCol, Node first, Node count) implements Node {}

  record Ident(int col, String name) implements Node {}

  /** Prefix operators: - + ! ~ * &. */
  record Unary(int col, String op, Node operand) implements Node {}

  record Cast(int col, TypeName type, Node operand) implements Node {}

  /** gdb's {@code {type} addr}: the object of that type at an address. */
  record At(int col, TypeName type, Node address) implements Node {}

  record SizeofType(int col, TypeName type) implements Node {}

  record SizeofExpr(int col, Node operand) implements Node {}

  /** {@code container_of(ptr, struct s, member)}: ptr minus the member's offset, as a struct s *. */
  record ContainerOf(int col, Node pointer, Offsetof member) implements Node {}

  /**
   * {@code list_for_each_entry(head, struct s, member)}: the entries of the list at head, each a
   * struct s * (container_of of each node), as include/linux/list.h's macro visits them.
   */
  record ListEntries(int col, Node head, Offsetof member) implements Node {}

  /** {@code offsetof(struct s, a.b[2])}: path holds member names and "[n]" index steps. */
  record Offsetof(int col, TypeName type, List<String> path, List<Integer> pathCols)
      implements Node {}

  record Binary(int col, int opCol, String op, Node left, Node right) implements Node {}

  record Cond(int col, int opCol, Node test, Node then, Node otherwise) implements Node {}

  /** {@code base.name} or {@code base->name}. */
  record Member(int col, int opCol, int nameCol, Node base, String name, boolean arrow) implements Node {}

  record Index(int col, int opCol, Node base, Node index) implements Node {}

  /** A call of a kernel helper such as {@code task_pt_regs(current)}. */
  record Call(int col, String name, List<Node> args) implements Node {}

  /**
   * A C type name as written, not yet resolved against the machine's layouts: a base ("unsigned long",
   * "struct task_struct", "void") and a number of '*'.
   */
  record TypeName(int col, String base, int pointers) {
    String spelling() {
      return pointers == 0 ? base : base + " " + "*".repeat(pointers);
    }
  }
}
