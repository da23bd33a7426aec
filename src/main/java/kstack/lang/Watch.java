package kstack.lang;

import java.util.List;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.layout.CType;
import kstack.machine.Machine;

/**
 * gdb's {@code watch EXPR}: EXPR is evaluated once, to the object it names (an lvalue: a variable,
 * a member, {@code per_cpu(VAR, CPU)}, {@code *(TYPE *)ADDR}); the machine then watches that
 * object's bytes through a store hook and stops after any step that changes them, saying the old
 * and new value and the step, CPU and task that wrote it. An expression that names no object
 * ({@code $rsp}, {@code a + b}) is refused: a value computed from several places would have to be
 * evaluated again after every step, which is what the store hook exists to avoid; watch the
 * object it reads instead.
 */
final class Watch {
  private Watch() {}

  static Result watch(Session s, Call c, String cmd) {
    Machine m = s.machine();
    String e = c.args();
    if (e.isEmpty()) {
      throw c.errorAtWord("usage: watch EXPR (an object: a variable, a member, per_cpu(VAR, CPU),"
          + " *(TYPE *)ADDR)");
    }
    Value v = c.eval(e, c.argsCol());
    if (!(v instanceof Value.LValue lv)) {
      throw c.errorAtArgs("watch: " + e + " is not an lvalue (it names no object in memory, so "
          + "there is nothing to watch); watch the object it reads, e.g. *(long *)ADDR");
    }
    CType t = lv.type();
    int n;
    try {
      long at = lv.address();
      n = m.watchpoints().add(e, m.space().storeFor(at), at, t.size(),
          b -> Expressions.formatBytes(b, t, m));
    } catch (IllegalArgumentException ex) {
      throw c.errorAtArgs(ex.getMessage());
    }
    return Result.of(cmd, List.of("Watchpoint " + n + ": " + e)).with("number", n)
        .with("address", Commands.hex(lv.address())).with("size", t.size());
  }

  /** delete: every breakpoint and watchpoint; delete N: watchpoint N. */
  static Result delete(Session s, Call c, String cmd) {
    Machine m = s.machine();
    if (c.args().isEmpty()) {
      s.temporaryBreaks().clear();
      m.deleteBreakpoints();
      m.watchpoints().clear();
      return Result.of(cmd, List.of("Deleted all breakpoints."));
    }
    long n = c.eval(c.args(), c.argsCol()).asLong();
    if (n < 1 || n > Integer.MAX_VALUE || !m.watchpoints().remove((int) n)) {
      throw c.errorAtArgs("no watchpoint number " + n + " ('info watchpoints' lists them; "
          + "'delete' alone deletes every breakpoint and watchpoint)");
    }
    return Result.of(cmd, List.of("Deleted watchpoint " + n + "."));
  }

  static Result info(Machine m, String cmd) {
    List<String> w = m.watchpoints().describe();
    return Result.of(cmd, w.isEmpty() ? List.of("No watchpoints.") : w).with("watchpoints", w);
  }
}
