package kstack.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kstack.btf.Btf;
import kstack.btf.BtfKind;
import kstack.btf.BtfMembers;
import kstack.btf.BtfNames;
import kstack.btf.BtfType;
import kstack.layout.PaholeMarks;

/**
 * A BTF type's layout as pahole prints it (dwarves' pahole -C): every member with its byte offset
 * and size, bitfields with their bit position, the holes between members, the padding at the end,
 * the 64-byte cacheline boundaries, and the totals. Anonymous structs and unions are printed in
 * place; a named struct or union member is expanded in place only with expand. Offsets are from
 * the outermost type's start.
 */
final class Pahole {
  static final int CACHELINE = PaholeMarks.CACHELINE;

  /**
   * The most lines one layout prints: --expand of task_struct on 6.18 is some thousands, but a
   * hostile blob can share one struct many times over and make the expansion exponential.
   */
  static final int MAX_LINES = 1_000_000;

  private final Btf btf;
  private final BtfNames names;
  private final BtfMembers members;
  private final boolean expand;
  private final List<String> out = new ArrayList<>();
  private long nextLine;
  private long rootOffset;

  Pahole(Btf btf, boolean expand) {
    this.btf = btf;
    this.names = new BtfNames(btf);
    this.members = new BtfMembers(btf);
    this.expand = expand;
  }

  /** The lines for a struct, union, typedef or enum (any other type: its declaration). */
  List<String> print(BtfType t) {
    rootOffset = btf.offsetOf(t.id());
    if (t instanceof BtfType.Composite c) {
      composite(c, names.specifier(c), "");
    } else if (t instanceof BtfType.Enum e) {
      enumeration(e);
    } else if (t instanceof BtfType.Ref r && r.kind() == BtfKind.TYPEDEF
        && btf.type(btf.resolve(r.type())) instanceof BtfType.Composite c
        && c.name().isEmpty()) {
      composite(c, "typedef " + names.specifier(c).replace(" {...}", ""), " " + r.name());
    } else {
      String decl = t instanceof BtfType.Ref r && r.kind() == BtfKind.TYPEDEF
          ? "typedef " + names.declare(r.type(), r.name()) : names.declare(t.id(), "");
      out.add(decl + ";\t/* size: " + btf.sizeOf(t.id()) + " */");
    }
    return out;
  }

  private void composite(BtfType.Composite c, String head, String tail) {
    out.add(head + " {");
    Totals totals = body(c, 0, 1, new HashSet<>(Set.of(c.id())));
    out.add("");
    out.add("\t" + PaholeMarks.size(c.size(), c.members().size()));
    if (totals.holes > 0) {
      out.add(String.format("\t/* sum members: %d, holes: %d, sum holes: %d */",
          totals.sumMembers, totals.holes, totals.sumHoles));
    }
    if (!c.isUnion() && c.size() > totals.end) {
      out.add(String.format("\t/* padding: %d */", c.size() - totals.end));
    }
    if (c.size() % CACHELINE != 0) {
      out.add(String.format("\t/* last cacheline: %d bytes */", c.size() % CACHELINE));
    }
    out.add("}" + tail + ";");
  }

  /** What a struct's members add up to: their bytes, the holes between them, the last byte. */
  private static final class Totals {
    long sumMembers;
    int holes;
    long sumHoles;
    long end;
  }

  private Totals body(BtfType.Composite c, long base, int depth, Set<Integer> open) {
    Totals t = new Totals();
    long end = base;
    for (BtfType.Member m : c.members()) {
      int bits = members.bitfield(m);
      long size = btf.sizeOf(m.type());
      long off = base + m.bitOffset() / 8;
      if (bits != 0 && size > 0) {
        off = base + m.bitOffset() / (size * 8) * size; // the bitfield's storage unit
      }
      if (!c.isUnion() && off > end) {
        out.add("");
        indent(depth, PaholeMarks.hole(off - end));
        out.add("");
        t.holes++;
        t.sumHoles += off - end;
      }
      boundary(off, depth);
      member(m, off, size, bits, base, depth, open);
      if (bits == 0 || off + size > end) {
        t.sumMembers += size; // a run of bitfields counts its storage unit once
      }
      end = Math.max(end, off + size);
    }
    t.end = end - base;
    return t;
  }

  private void boundary(long off, int depth) {
    if (off < nextLine || off == 0) {
      nextLine = Math.max(nextLine, (off / CACHELINE + 1) * CACHELINE);
      return;
    }
    long line = off / CACHELINE;
    long ago = off - line * CACHELINE;
    indent(depth, PaholeMarks.cacheline(line, ago));
    nextLine = (line + 1) * CACHELINE;
  }

  private void member(BtfType.Member m, long off, long size, int bits, long base, int depth,
      Set<Integer> open) {
    BtfType inner = btf.type(btf.resolve(m.type()));
    boolean anon = btf.type(m.type()) instanceof BtfType.Composite direct
        && direct.name().isEmpty();
    if (inner instanceof BtfType.Composite ic && (anon || expand) && !open.contains(ic.id())
        && depth <= BtfMembers.MAX_NESTING) {
      indent(depth, (ic.isUnion() ? "union" : "struct") + (anon ? "" : " " + ic.name()) + " {");
      open.add(ic.id());
      body(ic, base + m.bitOffset() / 8, depth + 1, open);
      open.remove(ic.id());
      String close = "}" + (m.name().isEmpty() ? "" : " " + m.name()) + ";";
      indent(depth, String.format("%-" + width(depth, 48) + "s /* %5d %5d */", close, off, size));
      return;
    }
    String[] cols = columns(m.type(), m.name() + (bits != 0 ? ":" + bits : ""));
    String decl = String.format("%-" + width(depth, 26) + "s %-21s", cols[0], cols[1] + ";");
    String where = bits != 0
        ? String.format("/* %5d:%2d %2d */", off, base * 8 + m.bitOffset() - off * 8, size)
        : String.format("/* %5d %5d */", off, size);
    indent(depth, decl + " " + where);
  }

  /** The type and the name columns of a declaration, as pahole splits them. */
  private String[] columns(int type, String name) {
    String marker = "\u0001";
    String d = names.declare(type, marker);
    int at = d.indexOf(marker);
    String left = d.substring(0, at);
    int paren = left.indexOf('(');
    int split = paren >= 0 ? paren : at;
    return new String[] {d.substring(0, split).strip(), d.substring(split).replace(marker, name)
        .strip()};
  }

  private static int width(int depth, int w) {
    return Math.max(1, w - 8 * (depth - 1));
  }

  private void indent(int depth, String s) {
    if (out.size() >= MAX_LINES) {
      throw new kstack.btf.BtfException(rootOffset, "the layout runs past " + MAX_LINES + " lines");
    }
    out.add("\t".repeat(depth) + s);
  }

  private void enumeration(BtfType.Enum e) {
    out.add(names.specifier(e) + " {");
    for (BtfType.Enumerator v : e.values()) {
      out.add("\t" + v.name() + " = " + (e.signed() ? Long.toString(v.value())
          : Long.toUnsignedString(v.value())) + ",");
    }
    out.add("};\t/* size: " + e.size() + ", values: " + e.values().size() + " */");
  }
}
