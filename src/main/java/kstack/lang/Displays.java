package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session.Call;
import kstack.lang.expr.ExprError;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;

/**
 * gdb's auto-display list: {@code display[/FMT] EXPR} shows EXPR now and after every command that
 * runs the machine; {@code undisplay [N]} removes one (or all), {@code info display} lists them. An
 * expression that cannot be evaluated at a stop (a pointer into memory no longer mapped) shows the
 * reason in its line and stays on the list, as gdb keeps it.
 */
final class Displays {
  /** One display: its number, format letter (0: natural) and expression. */
  private record Item(int number, char fmt, String expr) {}

  private final List<Item> items = new ArrayList<>();
  private int next = 1;

  Result display(Session s, Call c, String cmd) {
    char fmt = 0;
    String a = c.rest.strip();
    if (a.startsWith("/")) {
      if (a.length() < 2 || "xduotca".indexOf(a.charAt(1)) < 0) {
        throw c.errorAtArgs("unknown display format (use /x, /d, /u, /o, /t, /c or /a)");
      }
      fmt = a.charAt(1);
      a = a.substring(2).strip();
    }
    if (a.isEmpty()) {
      return Result.of(cmd, shown(s)).with("displays", json(s));
    }
    int col = c.restCol + c.rest.indexOf(a);
    Value v = c.eval(a, col); // a display that fails now is refused, as gdb refuses it
    Item it = new Item(next++, fmt, a);
    items.add(it);
    String line = line(it, Expressions.format(v, fmt, s.machine()));
    return Result.of(cmd, List.of(line)).with("number", it.number())
        .with("value", Expressions.toJson(v, s.machine()));
  }

  Result undisplay(Call c, String cmd) {
    if (c.args().isEmpty()) {
      items.clear();
      return Result.of(cmd, List.of("Deleted all displays."));
    }
    long n = c.eval(c.args(), c.argsCol()).asLong();
    if (!items.removeIf(i -> i.number() == n)) {
      throw c.errorAtArgs("no display number " + n + " ('info display' lists them)");
    }
    return Result.of(cmd, List.of("Deleted display " + n + ".")).with("number", (int) n);
  }

  Result info(String cmd) {
    if (items.isEmpty()) {
      return Result.of(cmd, List.of("There are no auto-display expressions now."))
          .with("displays", List.of());
    }
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    text.add("Auto-display expressions now in effect:");
    text.add("Num Expression");
    for (Item i : items) {
      String e = (i.fmt() == 0 ? "" : "/" + i.fmt() + " ") + i.expr();
      text.add(String.format("%-3d %s", i.number(), e));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("number", i.number());
      o.put("expression", e);
      json.add(o);
    }
    return Result.of(cmd, text).with("displays", json);
  }

  /** The display lines shown after a stop, in the order the displays were made. */
  List<String> shown(Session s) {
    List<String> out = new ArrayList<>();
    for (Item i : items) {
      out.add(line(i, value(s, i)));
    }
    return out;
  }

  /** The displays as JSON: number, expression and value (or error). */
  List<Object> json(Session s) {
    List<Object> out = new ArrayList<>();
    for (Item i : items) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("number", i.number());
      o.put("expression", i.expr());
      try {
        o.put("value", Expressions.toJson(s.eval(i.expr()), s.machine()));
      } catch (ExprError e) {
        o.put("error", e.getMessage());
      }
      out.add(o);
    }
    return out;
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  private static String value(Session s, Item i) {
    try {
      return Expressions.format(s.eval(i.expr()), i.fmt(), s.machine());
    } catch (ExprError e) {
      return "<error: " + e.getMessage() + ">";
    }
  }

  private static String line(Item i, String value) {
    return i.number() + ": " + (i.fmt() == 0 ? "" : "/" + i.fmt() + " ") + i.expr() + " = " + value;
  }
}
