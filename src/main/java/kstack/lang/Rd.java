package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.machine.Machine;

/**
 * crash's {@code rd ADDR [COUNT]}: COUNT pointer-sized words from ADDR (default 1), two to a line on
 * a 64-bit kernel and four on i386, each address and value in bare hex as crash prints them, and
 * beside every value that points into the kernel image its symbol ({@code rd -s}'s names).
 */
final class Rd {
  static final int MAX = 4096;

  private Rd() {}

  static Result run(Session s, Call c, String cmd) {
    Machine m = s.machine();
    List<Call.Word> w = c.words();
    if (w.isEmpty() || w.size() > 2) {
      throw c.errorAtWord("usage: rd ADDR [COUNT]");
    }
    long addr = Expressions.address(c.eval(w.get(0).text(), w.get(0).column()), m);
    long count = w.size() == 2 ? c.eval(w.get(1).text(), w.get(1).column()).asLong() : 1;
    if (count < 1 || count > MAX) {
      throw new ScriptError(c.line.file(), c.line.number(), w.get(1).column(),
          "rd: COUNT must be 1 to " + MAX);
    }
    List<Object> values = new ArrayList<>();
    int word = m.arch().types().word;
    for (int k = 0; k < count; k++) {
      values.add("0x" + Long.toHexString(m.inspector().read(addr + (long) k * word, word)));
    }
    return Result.of(cmd, lines(m, addr, count)).with("address", "0x" + Long.toHexString(addr))
        .with("values", values);
  }

  /**
   * COUNT words from ADDR as rd prints them: two to a line (four on i386) in bare hex, then the
   * symbols of the values that point into the image.
   */
  static List<String> lines(Machine m, long addr, long count) {
    int word = m.arch().types().word;
    int perLine = 16 / word;
    String digits = "%0" + word * 2 + "x";
    List<String> text = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    StringBuilder syms = new StringBuilder();
    for (int k = 0; k < count; k++) {
      long a = addr + (long) k * word;
      if (k % perLine == 0) {
        flush(text, line, syms);
        line.append(String.format(digits + ": ", a));
      }
      long v = m.inspector().read(a, word);
      line.append(' ').append(String.format(digits, v));
      String d = m.symbols().describe(v);
      if (d != null) {
        syms.append(syms.length() == 0 ? "   " : " ").append('<').append(d).append('>');
      }
    }
    flush(text, line, syms);
    return text;
  }

  private static void flush(List<String> text, StringBuilder line, StringBuilder syms) {
    if (line.length() > 0) {
      text.add(line.append(syms).toString());
    }
    line.setLength(0);
    syms.setLength(0);
  }
}
