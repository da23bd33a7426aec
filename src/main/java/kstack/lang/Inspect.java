package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.exec.Routine;
import kstack.lang.Session.Call;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/** x (gdb's examine), struct (a pahole-like layout) and info. */
final class Inspect {
  private Inspect() {}

  /** x/NFU ADDR: count, format (x d u o t a c s i), unit (b h w g), as gdb. */
  static Result examine(Session s, Call c, String cmd) {
    Machine m = s.machine();
    String rest = c.rest;
    int count = 1;
    char fmt = 'x';
    int unit = 4;
    int col = c.restCol;
    if (rest.startsWith("/")) {
      int i = 1;
      int n = 0;
      boolean hasCount = false;
      while (i < rest.length() && Character.isDigit(rest.charAt(i))) {
        n = n * 10 + (rest.charAt(i) - '0');
        hasCount = true;
        if (n > 4096) {
          throw c.errorAtWord("x: at most 4096 units");
        }
        i++;
      }
      if (hasCount) {
        count = Math.max(1, n);
      }
      boolean unitSet = false;
      while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
        char ch = rest.charAt(i);
        if ("xduotacsi".indexOf(ch) >= 0) {
          fmt = ch;
        } else if ("bhwg".indexOf(ch) >= 0) {
          unit = switch (ch) {
            case 'b' -> 1;
            case 'h' -> 2;
            case 'w' -> 4;
            default -> 8;
          };
          unitSet = true;
        } else {
          throw new ScriptError(c.line.file(), c.line.number(), col + i,
              "x: unknown format letter '" + ch + "' (formats xduotacsi, units bhwg)");
        }
        i++;
      }
      if (fmt == 'a' && !unitSet) {
        unit = 8;
      }
      rest = rest.substring(i);
      col += i;
    }
    int lead = 0;
    while (lead < rest.length() && Character.isWhitespace(rest.charAt(lead))) {
      lead++;
    }
    String expr = rest.substring(lead).strip();
    if (expr.isEmpty()) {
      throw new ScriptError(c.line.file(), c.line.number(), col + lead, "x: expected an address");
    }
    long addr = c.eval(expr, col + lead).asLong();
    List<String> text = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    if (fmt == 'i') {
      for (int k = 0; k < count; k++) {
        Routine r = m.routineAt(addr);
        if (r == null && k > 0) {
          // past the last routine, or in the gap before the next one: say where the listing ends
          text.add(String.format("0x%x:\t(no modelled code here: the listing stops)", addr));
          break;
        }
        if (r == null) {
          throw c.errorAtArgs(String.format("x/i: no code at 0x%x", addr));
        }
        String line = m.describeStep(addr);
        text.add(line);
        values.add(line);
        addr += Routine.INSN_SIZE;
      }
    } else if (fmt == 's') {
      for (int k = 0; k < count; k++) {
        String str = m.readCString(addr, 256);
        text.add(String.format("0x%x%s:\t\"%s\"", addr, sym(m, addr), escape(str)));
        values.add(str);
        addr += str.length() + 1;
      }
    } else {
      int perLine = unit == 8 ? 2 : unit == 4 ? 4 : 8;
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < count; k++) {
        long a = addr + (long) k * unit;
        if (k % perLine == 0) {
          if (line.length() > 0) {
            text.add(line.toString());
          }
          line = new StringBuilder(String.format("0x%x%s:", a, sym(m, a)));
        }
        long v = m.read(a, unit);
        String shown = render(m, v, fmt, unit);
        line.append('\t').append(shown);
        values.add(fmt == 'x' || fmt == 'a' ? "0x" + Long.toHexString(v) : shown);
      }
      text.add(line.toString());
    }
    return Result.of(cmd, text).with("values", values);
  }

  private static String sym(Machine m, long a) {
    String d = m.symbols().describe(a);
    return d == null ? "" : " <" + d + ">";
  }

  private static String render(Machine m, long v, char fmt, int unit) {
    long signed = unit == 8 ? v : (v << (64 - 8 * unit)) >> (64 - 8 * unit);
    return switch (fmt) {
      case 'd' -> Long.toString(signed);
      case 'u' -> Long.toUnsignedString(v);
      case 'o' -> "0" + Long.toOctalString(v);
      case 't' -> Long.toBinaryString(v);
      case 'c' -> signed + " '" + (char) (v & 0xff) + "'";
      case 'a' -> String.format("0x%x", v) + sym(m, v);
      default -> String.format("0x%0" + (unit * 2) + "x", v);
    };
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch == '\n') {
        b.append("\\n");
      } else if (ch < 32 || ch > 126) {
        b.append(String.format("\\%03o", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  /** struct NAME [ADDR]: members with offsets and sizes (pahole's columns), values at ADDR. */
  static Result struct(Session s, Call c, String cmd) {
    Machine m = s.machine();
    String args = c.args();
    if (args.isEmpty()) {
      throw c.errorAtArgs("usage: struct NAME [ADDR]; known: " + String.join(", ",
          new java.util.TreeSet<>(m.structs().keySet())));
    }
    int sp = args.indexOf(' ');
    String name = sp < 0 ? args : args.substring(0, sp);
    StructLayout l = m.struct(name);
    if (l == null) {
      throw c.errorAtArgs("no struct " + name + " in the " + m.profile().label() + " model (known: "
          + String.join(", ", new java.util.TreeSet<>(m.structs().keySet())) + ")");
    }
    Long addr = null;
    if (sp >= 0) {
      String e = args.substring(sp).strip();
      int col = c.argsCol() + args.indexOf(e, sp);
      addr = c.eval(e, col).asLong();
    }
    List<String> text = new ArrayList<>();
    List<Object> fields = new ArrayList<>();
    text.add("struct " + name + " {\t/* " + l.source() + " */");
    for (Field f : l.fields()) {
      String decl = decl(f);
      String line = String.format("\t%-40s /* %5d %5d */", decl + ";", f.offset(), f.size());
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", f.name());
      o.put("offset", f.offset());
      o.put("size", f.size());
      o.put("type", f.type().name());
      if (addr != null) {
        String v = value(m, addr + f.offset(), f.type());
        line += " = " + v;
        o.put("value", v);
      }
      if (!f.note().isEmpty()) {
        line += "  // " + f.note();
      }
      text.add(line);
      fields.add(o);
    }
    text.add(String.format("\t/* size: %d, alignment: %d */", l.size(), l.align()));
    text.add("};");
    Result r = Result.of(cmd, text).with("struct", name).with("size", l.size())
        .with("source", l.source()).with("fields", fields);
    if (addr != null) {
      r.with("address", "0x" + Long.toHexString(addr));
    }
    return r;
  }

  private static String decl(Field f) {
    CType t = f.type();
    if (t instanceof CType.Array a) {
      return a.element().name() + " " + f.name() + "[" + a.length() + "]";
    }
    String n = t.name();
    return n.endsWith("*") ? n + f.name() : n + " " + f.name();
  }

  private static String value(Machine m, long a, CType t) {
    if (t instanceof CType.Int || t instanceof CType.Ptr) {
      long v = m.read(a, t.size());
      return "0x" + Long.toHexString(v);
    }
    if (t instanceof CType.Array arr && arr.element().size() == 1) {
      return "\"" + escape(m.readCString(a, arr.length())) + "\"";
    }
    return "{...} at 0x" + Long.toHexString(a);
  }

  static Result info(Session s, Call c, String cmd) {
    Machine m = s.machine();
    String a = c.args();
    String sub = a.contains(" ") ? a.substring(0, a.indexOf(' ')) : a;
    return switch (sub) {
      case "registers", "reg", "r" -> registers(m, cmd);
      case "config" -> {
        List<String> text = new ArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        text.add("Profile " + m.profile().label());
        for (var e : m.profile().config().all().entrySet()) {
          text.add(String.format("CONFIG_%s=%s\t# %s", e.getKey(), e.getValue() ? "y" : "n",
              m.profile().config().help(e.getKey())));
          json.put(e.getKey(), e.getValue());
        }
        List<String> feats = new ArrayList<>();
        for (var f : m.profile().features()) {
          text.add("feature " + f.name() + "\t# " + f.citation());
          feats.add(f.name());
        }
        yield Result.of(cmd, text).with("profile", m.profile().label()).with("config", json)
            .with("features", feats);
      }
      case "breakpoints", "break" -> Result.of(cmd, m.breakpoints().isEmpty()
          ? List.of("No breakpoints.") : m.breakpoints()).with("breakpoints", m.breakpoints());
      case "symbol" -> {
        String e = a.substring(sub.length()).strip();
        if (e.isEmpty()) {
          throw c.errorAtArgs("usage: info symbol ADDR");
        }
        long v = c.eval(e, c.argsCol() + a.indexOf(e, sub.length())).asLong();
        String d = m.symbols().describe(v);
        yield Result.of(cmd, List.of(d == null ? "No symbol matches." : d + " in section "
            + region(m, v))).with("symbol", d);
      }
      default -> throw c.errorAtArgs("info: expected registers, config, breakpoints or symbol");
    };
  }

  private static String region(Machine m, long v) {
    var r = m.space().regionAt(v);
    return r == null ? "?" : r.name();
  }

  private static Result registers(Machine m, String cmd) {
    var cpu = m.cpu(m.selectedCpu());
    List<String> text = new ArrayList<>();
    Map<String, Object> json = new LinkedHashMap<>();
    for (String r : cpu.registers().visibleNames()) {
      long v = cpu.get(r);
      String d = m.symbols().describe(v);
      text.add(String.format("%-10s 0x%-18x %s", r, v, d != null && m.routineAt(v) != null
          ? "<" + d + ">" : Long.toString(v)));
      json.put(r, "0x" + Long.toHexString(v));
    }
    return Result.of(cmd, text).with("cpu", m.selectedCpu()).with("registers", json);
  }
}
