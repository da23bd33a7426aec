package kstack.view;

import java.util.ArrayList;
import java.util.List;
import kstack.view.Picture.Block;
import kstack.view.Picture.Column;
import kstack.view.Picture.Field;
import kstack.view.Picture.Mark;

/**
 * A picture as a boxed text diagram, the kind the texts draw by hand: each stack a box growing
 * downward (its high end on the first line), to scale in lines (one line for the same number of
 * bytes in every box: a task stack takes {@link #LINES} lines), each line starting with the lowest
 * address it covers and naming what lies there: the words of pt_regs, thread_info or the switch
 * frame by name, a frame by its function and return address on its top line, the unused space,
 * the magic, guard pages; marks (stack pointers, task_pt_regs, the high-water mark) on the right.
 */
public final class TextPicture {
  /** Lines a task's kernel stack takes (the scale: THREAD_SIZE / LINES bytes a line). */
  static final int LINES = 128;
  /** Blocks whose words are named one by one on their lines. */
  private static final List<String> NAMED = List.of("pt_regs", "thread_info", "task_struct",
      "stale", "switch", "padding", "magic");

  private TextPicture() {}

  /** The picture's columns one after another. */
  public static List<String> render(Picture p) {
    long task = p.columns().stream().filter(c -> c.kind().equals("task"))
        .mapToLong(c -> c.high() - c.low()).max().orElse(LINES * (long) p.wordSize());
    long perLine = Math.max(p.wordSize(), task / LINES);
    List<String> out = new ArrayList<>();
    out.add(p.title());
    for (Column c : p.columns()) {
      out.add("");
      column(c, perLine, p.wordSize(), out);
    }
    return out;
  }

  private static void column(Column c, long perLine, int word, List<String> out) {
    out.add(String.format("%s: 0x%x..0x%x (%d bytes; 1 line = %d bytes, growing downward)",
        c.title(), c.low(), c.high(), c.high() - c.low(), perLine));
    List<Block> all = new ArrayList<>(c.guards());
    all.addAll(c.blocks());
    long hi = c.high() + above(c);
    long lo = c.low() - below(c);
    List<String[]> rows = new ArrayList<>();
    for (long a = hi - perLine; Long.compareUnsigned(a + perLine, lo) > 0; a -= perLine) {
      rows.add(new String[] {String.format("0x%0" + (2 * word) + "x", a),
          content(all, a, a + perLine), marks(c, a, a + perLine, a + perLine == c.high())});
    }
    int width = 40;
    for (String[] r : rows) {
      width = Math.max(width, r[1].length());
    }
    String pad = " ".repeat(2 * word + 4);
    String edge = pad + "+" + "-".repeat(width + 2) + "+";
    out.add(edge);
    for (String[] r : rows) {
      out.add(String.format("%s  | %-" + width + "s |%s", r[0], r[1], r[2]).stripTrailing());
    }
    out.add(edge);
  }

  private static long above(Column c) {
    return c.guards().stream().filter(g -> g.low() == c.high()).mapToLong(g -> g.high() - g.low())
        .sum();
  }

  private static long below(Column c) {
    return c.guards().stream().filter(g -> g.high() == c.low()).mapToLong(g -> g.high() - g.low())
        .sum();
  }

  /** What the line [a, end) shows: the blocks overlapping it, from the highest down. */
  private static String content(List<Block> blocks, long a, long end) {
    List<String> parts = new ArrayList<>();
    for (int i = blocks.size() - 1; i >= 0; i--) {
      Block b = blocks.get(i);
      if (Long.compareUnsigned(b.low(), end) >= 0 || Long.compareUnsigned(b.high(), a) <= 0) {
        continue;
      }
      boolean topLine = Long.compareUnsigned(b.high() - 1, a) >= 0
          && Long.compareUnsigned(b.high() - 1, end) < 0;
      if (NAMED.contains(b.kind()) && !b.fields().isEmpty()) {
        List<String> names = new ArrayList<>();
        for (int f = b.fields().size() - 1; f >= 0; f--) {
          Field w = b.fields().get(f);
          if (Long.compareUnsigned(w.address(), a) >= 0 && Long.compareUnsigned(w.address(), end) < 0) {
            names.add(shortName(w.name()));
          }
        }
        parts.add(b.kind() + ": " + String.join(" ", names));
      } else if (b.kind().equals("guard")) {
        parts.add(topLine ? "////// " + b.label() + " //////" : "//////");
      } else if (topLine) {
        parts.add(b.label());
      }
    }
    return String.join("; ", parts);
  }

  /** A word's name without its struct prefix and note: "pt_regs->r15 (...)" gives "r15". */
  static String shortName(String name) {
    String s = name.split(" \\(")[0];
    int arrow = s.indexOf("->");
    return (arrow >= 0 ? s.substring(arrow + 2) : s).replace(' ', '_');
  }

  private static String marks(Column c, long a, long end, boolean top) {
    StringBuilder b = new StringBuilder();
    for (Mark m : c.marks()) {
      boolean on = Long.compareUnsigned(m.address(), a) >= 0
          && Long.compareUnsigned(m.address(), end) < 0;
      // a mark at the stack's top end goes on its top line, unless a guard line above shows it
      if (on || top && above(c) == 0 && m.address() == c.high()) {
        b.append("  <- ").append(m.label());
      }
    }
    return b.toString();
  }
}
