package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.Routine;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.machine.Machine;

/**
 * gdb's {@code x/NFU ADDR}: count, format (x d u o t a c s i) and unit size (b h w g). As in gdb
 * (printcmd.c, decode_format and x_command): without a size letter, {@code a} reads pointer-sized
 * units (4 bytes on i386, 8 on x86_64 and arm64), {@code c} reads bytes, and every other format the
 * size used last (initially w); without a format letter the format used last (initially x). An
 * explicit size is always obeyed ({@code x/8gx} on i386 reads 8-byte units).
 */
final class Examine {
  private Examine() {}

  /** What the last x used, for the next one's defaults (gdb's last_format and last_size). */
  static final class Defaults {
    char format = 'x';
    int unit = 4;
    /** How many units the last x showed, and the address after the last one (gdb's $_ + 1). */
    int count = 1;
    Long next;
  }

  static Result run(Session s, Call c, String cmd) {
    Machine m = s.machine();
    Defaults last = s.examineDefaults();
    String rest = c.rest;
    int count = 1;
    char fmt = last.format;
    int unit = 0;
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
        } else {
          throw new ScriptError(c.line.file(), c.line.number(), col + i,
              "x: unknown format letter '" + ch + "' (formats xduotacsi, units bhwg)");
        }
        i++;
      }
      rest = rest.substring(i);
      col += i;
    }
    if (unit == 0) {
      unit = fmt == 'a' ? m.arch().types().word : fmt == 'c' ? 1 : last.unit;
    }
    int lead = 0;
    while (lead < rest.length() && Character.isWhitespace(rest.charAt(lead))) {
      lead++;
    }
    String expr = rest.substring(lead).strip();
    long addr;
    if (!expr.isEmpty()) {
      addr = Expressions.address(c.eval(expr, col + lead), m);
    } else if (last.next != null) {
      // gdb: x without an address goes on after the last unit shown, with the last count.
      addr = last.next;
      count = c.rest.startsWith("/") && Character.isDigit(c.rest.charAt(1)) ? count : last.count;
    } else {
      throw new ScriptError(c.line.file(), c.line.number(), col + lead, "x: expected an address");
    }
    List<String> text = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    if (fmt == 'i') {
      instructions(m, c, addr, count, text, values);
      addr += (long) values.size() * Routine.INSN_SIZE;
    } else if (fmt == 's') {
      for (int k = 0; k < count; k++) {
        String str = m.inspector().readCString(addr, 256);
        text.add(String.format("0x%x%s:\t\"%s\"", addr, sym(m, addr), Inspect.escape(str)));
        values.add(str);
        addr += str.length() + 1;
      }
    } else {
      units(m, addr, count, fmt, unit, text, values);
      addr += (long) count * unit;
    }
    last.count = count;
    last.next = addr;
    last.format = fmt;
    last.unit = fmt == 's' ? 1 : unit;
    return Result.of(cmd, text).with("values", values);
  }

  private static void instructions(Machine m, Call c, long addr, int count, List<String> text,
      List<Object> values) {
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
      String line = m.inspector().describeStep(addr);
      text.add(line);
      values.add(line);
      addr += Routine.INSN_SIZE;
    }
  }

  /** count units of unit bytes from addr, as many to a line as gdb puts there. */
  private static void units(Machine m, long addr, int count, char fmt, int unit, List<String> text,
      List<Object> values) {
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
      long v = m.inspector().read(a, unit);
      String shown = render(m, v, fmt, unit);
      line.append('\t').append(shown);
      values.add(fmt == 'x' || fmt == 'a' ? "0x" + Long.toHexString(v) : shown);
    }
    text.add(line.toString());
  }

  private static String sym(Machine m, long a) {
    String d = m.symbols().describe(a);
    return d == null ? "" : " <" + d + ">";
  }

  /** One unit as gdb's x shows it: hex and binary zero-padded to the unit, chars escaped. */
  private static String render(Machine m, long v, char fmt, int unit) {
    long signed = unit == 8 ? v : (v << (64 - 8 * unit)) >> (64 - 8 * unit);
    return switch (fmt) {
      case 'd' -> Long.toString(signed);
      case 'u' -> Long.toUnsignedString(v);
      case 'o' -> v == 0 ? "0" : "0" + Long.toOctalString(v);
      case 't' -> String.format("%" + (unit * 8) + "s", Long.toBinaryString(v)).replace(' ', '0');
      case 'c' -> {
        long ch = (byte) v;
        yield ch + " '" + (ch == '\'' ? "\\'" : Inspect.escape(String.valueOf((char) (v & 0xff))))
            + "'";
      }
      case 'a' -> String.format("0x%x", v) + sym(m, v);
      default -> String.format("0x%0" + (unit * 2) + "x", v);
    };
  }
}
