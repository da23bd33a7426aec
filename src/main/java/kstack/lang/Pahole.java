package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.PaholeMarks;
import kstack.layout.StructLayout;

/**
 * pahole's annotations of a struct layout: the cacheline boundaries members cross, the holes
 * alignment leaves between members, the padding at the end, and its summary lines
 * (dwarves' pahole, {@code class__fprintf}). A gap larger than the next member's alignment
 * explains is not a hole but members the model leaves out (kstack models the members its stacks
 * use, at their real offsets); it is marked so, never called a hole.
 */
final class Pahole {
  static final int CACHELINE = PaholeMarks.CACHELINE;

  private Pahole() {}

  /** What lies between the end of one member (or the start) and the next member at next. */
  static String gap(int end, Field next) {
    int n = next.offset() - end;
    if (n <= 0) {
      return null;
    }
    return isHole(end, next) ? PaholeMarks.hole(n) : "/* " + n + " bytes of members not modelled */";
  }

  private static boolean isHole(int end, Field next) {
    int a = next.type().align();
    return (end + a - 1) / a * a == next.offset();
  }

  /** The cacheline mark before a member, when it starts in a later cacheline than the last. */
  static String cacheline(int lastLine, Field f) {
    int line = f.offset() / CACHELINE;
    if (line <= lastLine) {
      return null;
    }
    return PaholeMarks.cacheline(line, f.offset() - line * CACHELINE);
  }

  /** pahole's closing summary: size, cachelines, members, holes, padding, last cacheline. */
  static List<String> summary(StructLayout l) {
    int members = 0;
    int holes = 0;
    int sumHoles = 0;
    int end = 0;
    for (Field f : l.fields()) {
      if (f.offset() > end && isHole(end, f)) {
        holes++;
        sumHoles += f.offset() - end;
      }
      members += f.size();
      end = Math.max(end, f.offset() + f.size());
    }
    List<String> out = new ArrayList<>();
    out.add(PaholeMarks.size(l.size(), l.fields().size()));
    out.add(String.format("/* sum members: %d, holes: %d, sum holes: %d */", members, holes,
        sumHoles));
    int tail = l.size() - end;
    int align = l.align();
    if (tail > 0) {
      out.add((end + align - 1) / align * align == l.size() ? "/* padding: " + tail + " */"
          : "/* " + tail + " bytes of members not modelled at the end */");
    }
    int last = l.size() % CACHELINE;
    if (last != 0) {
      out.add("/* last cacheline: " + last + " bytes */");
    }
    out.add("/* alignment: " + align + " */");
    return out;
  }

  /** crash's struct -o line: the member's offset in brackets, then its declaration. */
  static String offsetLine(Field f) {
    return String.format("  [%d] %s;", f.offset(), decl(f));
  }

  /** A member's declaration as C writes it: {@code char comm[16]}, {@code struct list_head *p}. */
  static String decl(Field f) {
    CType t = f.type();
    if (t instanceof CType.Array a) {
      return a.element().name() + " " + f.name() + "[" + a.length() + "]";
    }
    String n = t.name();
    return n.endsWith("*") ? n + f.name() : n + " " + f.name();
  }
}
