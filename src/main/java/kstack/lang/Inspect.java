package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/** struct (a pahole-like layout) and info; x (gdb's examine) is {@link Examine}. */
final class Inspect {
  private Inspect() {}

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

  /** struct NAME [ADDR] (pahole's layout, values at ADDR) or struct -o NAME (crash's offsets). */
  static Result struct(Session s, Call c, String cmd) {
    Machine m = s.machine();
    String args = c.args();
    boolean offsets = args.equals("-o") || args.startsWith("-o ");
    if (offsets) {
      args = args.substring(2).strip();
    }
    if (args.isEmpty()) {
      throw c.errorAtArgs("usage: struct NAME [ADDR] | struct -o NAME; known: " + String.join(", ",
          new java.util.TreeSet<>(m.structs().keySet())));
    }
    int sp = args.indexOf(' ');
    String name = sp < 0 ? args : args.substring(0, sp);
    StructLayout l = layout(m, c, name);
    if (offsets) {
      if (sp >= 0) {
        throw c.errorAtArgs("struct -o takes a struct name only");
      }
      List<String> text = new ArrayList<>();
      text.add("struct " + name + " {");
      l.fields().forEach(f -> text.add(Pahole.offsetLine(f)));
      text.add("}");
      text.add("SIZE: " + l.size());
      return Result.of(cmd, text).with("struct", name).with("size", l.size());
    }
    Long addr = null;
    if (sp >= 0) {
      String e = args.substring(sp).strip();
      int col = c.argsCol() + c.args().indexOf(e, c.args().indexOf(name) + name.length());
      addr = Expressions.address(c.eval(e, col), m);
    }
    return layoutResult(m, cmd, name, l, addr);
  }

  /** The struct a command names, or the command's error listing the ones the model has. */
  static StructLayout layout(Machine m, Call c, String name) {
    StructLayout l = m.struct(name);
    if (l == null) {
      throw c.errorAtArgs("no struct " + name + " in the " + m.profile().label() + " model (known: "
          + String.join(", ", new java.util.TreeSet<>(m.structs().keySet())) + ")");
    }
    return l;
  }

  /** A struct's members as pahole lays them out, with the values at addr unless it is null. */
  static Result layoutResult(Machine m, String cmd, String name, StructLayout l, Long addr) {
    List<String> text = new ArrayList<>();
    List<Object> fields = new ArrayList<>();
    text.add("struct " + name + " {\t/* " + l.source() + " */");
    int end = 0;
    int lastLine = 0;
    for (Field f : l.fields()) {
      String gap = Pahole.gap(end, f);
      String mark = Pahole.cacheline(lastLine, f);
      if (gap != null) {
        text.add("\t" + gap);
      }
      if (mark != null) {
        text.add("\t" + mark);
        lastLine = f.offset() / Pahole.CACHELINE;
      }
      end = Math.max(end, f.offset() + f.size());
      String line = String.format("\t%-40s /* %5d %5d */", Pahole.decl(f) + ";", f.offset(),
          f.size());
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
    Pahole.summary(l).forEach(x -> text.add("\t" + x));
    text.add("};");
    Result r = Result.of(cmd, text).with("struct", name).with("size", l.size())
        .with("source", l.source()).with("fields", fields);
    if (addr != null) {
      r.with("address", "0x" + Long.toHexString(addr));
    }
    return r;
  }

  private static String value(Machine m, long a, CType t) {
    if (t instanceof CType.Int || t instanceof CType.Ptr) {
      long v = m.inspector().read(a, t.size());
      return "0x" + Long.toHexString(v);
    }
    if (t instanceof CType.Array arr && arr.element().size() == 1) {
      return "\"" + escape(m.inspector().readCString(a, arr.length())) + "\"";
    }
    return "{...} at 0x" + Long.toHexString(a);
  }

  static Result info(Session s, Call c, String cmd) {
    Machine m = s.machine();
    String a = c.args();
    String sub = a.contains(" ") ? a.substring(0, a.indexOf(' ')) : a;
    return switch (sub) {
      case "registers", "reg", "r" -> Registers.info(m, c, cmd);
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
      case "display" -> s.displays().info(cmd);
      case "breakpoints", "break" -> Result.of(cmd, m.breakpoints().isEmpty()
          ? List.of("No breakpoints.") : m.breakpoints()).with("breakpoints", m.breakpoints());
      case "symbol" -> {
        String e = a.substring(sub.length()).strip();
        if (e.isEmpty()) {
          throw c.errorAtArgs("usage: info symbol ADDR");
        }
        long v = Expressions.address(c.eval(e, c.argsCol() + a.indexOf(e, sub.length())), m);
        String d = m.symbols().describe(v);
        yield Result.of(cmd, List.of(d == null ? "No symbol matches." : d + " in section "
            + region(m, v))).with("symbol", d);
      }
      case "history" -> HistoryCmds.info(m, cmd);
      case "watchpoints" -> Watch.info(m, cmd);
      case "frame", "args", "locals" -> {
        if (!a.equals(sub)) {
          throw c.errorAtArgs("info " + sub + " takes no arguments (it shows the selected frame:"
              + " 'frame N' selects one)");
        }
        yield FrameCmds.info(s, cmd, sub);
      }
      default -> throw c.errorAtArgs("info: expected registers, config, breakpoints, symbol, "
          + "history, display, watchpoints, frame, args or locals");
    };
  }

  private static String region(Machine m, long v) {
    var r = m.space().regionAt(v);
    return r == null ? "?" : r.name();
  }
}
