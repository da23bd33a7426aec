package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.machine.Machine;

/**
 * gdb's value commands: {@code print} (recording each value in the history as $N), {@code set $name
 * = EXPR} (a convenience variable), {@code ptype} and {@code whatis} (the type of an expression or a
 * type name, ptype with a struct's members spelled out).
 */
final class GdbValues {
  private GdbValues() {}

  /** The formats of print: gdb's x d u o t c a, and s (a string where the value is one). */
  private static final String FORMATS = "xduotcas";

  static Result print(Session s, Call c, String cmd) {
    String rest = c.rest;
    char fmt = 0;
    int col = c.restCol;
    if (rest.startsWith("/")) {
      if (rest.length() < 2 || FORMATS.indexOf(rest.charAt(1)) < 0) {
        throw c.errorAtArgs("unknown print format (use /x, /d, /u, /o, /t, /c, /a or /s)");
      }
      fmt = rest.charAt(1) == 's' ? 0 : rest.charAt(1); // gdb's /s: strings as strings, else natural
      rest = rest.substring(2);
      col += 2;
    }
    int lead = 0;
    while (lead < rest.length() && Character.isWhitespace(rest.charAt(lead))) {
      lead++;
    }
    String expr = rest.substring(lead);
    if (expr.isEmpty()) {
      throw new ScriptError(c.line.file(), c.line.number(), col, "print: expected an expression");
    }
    Machine m = s.machine();
    Value v = c.eval(expr, col + lead);
    String shown = Expressions.format(v, fmt, m);
    int n = s.variables().record(v);
    return Result.of(cmd, List.of("$" + n + " = " + shown)).with("value", Expressions.toJson(v, m))
        .with("history", n);
  }

  /** set $name = EXPR, or gdb's spelling set var $name = EXPR. */
  static Result set(Session s, Call c, String cmd) {
    String a = c.args();
    int from = c.argsCol();
    if (a.startsWith("var ") || a.startsWith("variable ")) {
      int sp = a.indexOf(' ');
      int skip = sp;
      while (skip < a.length() && a.charAt(skip) == ' ') {
        skip++;
      }
      from += skip;
      a = a.substring(skip);
    }
    int eq = a.indexOf('=');
    String name = eq < 0 ? "" : a.substring(0, eq).strip();
    if (eq < 0 || a.startsWith("==", eq) || !name.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ScriptError(c.line.file(), c.line.number(), from, "usage: set $NAME = EXPR (a "
          + "convenience variable; kstack's memory and registers change only by running the kernel)"
          + " or set max-steps N");
    }
    var regs = s.machine().arch().registers();
    if (regs.has(regs.resolve(name.substring(1)))) {
      throw new ScriptError(c.line.file(), c.line.number(), from, name + " is a register of "
          + s.machine().arch().name() + ": registers change only by running the kernel");
    }
    String expr = a.substring(eq + 1);
    int lead = 0;
    while (lead < expr.length() && Character.isWhitespace(expr.charAt(lead))) {
      lead++;
    }
    Value v = c.eval(expr.substring(lead), from + eq + 1 + lead);
    s.variables().set(name.substring(1), v);
    Machine m = s.machine();
    return Result.of(cmd, List.of(name + " = " + Expressions.format(v, (char) 0, m)))
        .with("name", name).with("value", Expressions.toJson(v, m));
  }

  /** whatis EXPR|TYPE: the type, as gdb names it. */
  static Result whatis(Session s, Call c, String cmd) {
    CType t = typeOf(s, c, "whatis");
    String name = Expressions.typeName(t);
    return Result.of(cmd, List.of("type = " + name)).with("type", name).with("size", t.size());
  }

  /** ptype EXPR|TYPE: the type with the members of the struct it is (or points to) spelled out. */
  static Result ptype(Session s, Call c, String cmd) {
    Machine m = s.machine();
    CType t = typeOf(s, c, "ptype");
    CType base = t;
    while (base instanceof CType.Ptr || base instanceof CType.Array) {
      base = base instanceof CType.Ptr p ? p.target() : ((CType.Array) base).element();
    }
    String name = Expressions.typeName(t);
    CType full = Expressions.complete(base, m);
    if (!(full instanceof CType.Struct st)) {
      return Result.of(cmd, List.of("type = " + name)).with("type", name).with("size", t.size());
    }
    String suffix = name.substring(base.name().length()).strip();
    List<String> text = new ArrayList<>();
    List<Object> fields = new ArrayList<>();
    text.add("type = " + full.name() + " {");
    for (Field f : st.layout().fields()) {
      text.add("    " + Expressions.declaration(f.type(), f.name()) + ";");
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", f.name());
      o.put("type", Expressions.typeName(f.type()));
      o.put("offset", f.offset());
      o.put("size", f.size());
      fields.add(o);
    }
    text.add(suffix.isEmpty() ? "}" : "} " + suffix);
    return Result.of(cmd, text).with("type", name).with("size", t.size()).with("fields", fields);
  }

  private static CType typeOf(Session s, Call c, String what) {
    String a = c.args();
    if (a.isEmpty()) {
      throw c.errorAtWord("usage: " + what + " EXPR | " + what + " TYPE (e.g. struct pt_regs)");
    }
    c.exprCol = c.argsCol();
    CType t = Expressions.typeOf(a, s.machine());
    return t != null ? t : c.eval(a, c.argsCol()).type();
  }
}
