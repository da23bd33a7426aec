package kstack.view;

import java.util.ArrayList;
import java.util.List;
import kstack.view.Picture.Block;
import kstack.view.Picture.Column;
import kstack.view.Picture.Mark;

/**
 * Where each address of one column lies on the drawing, growing downward from its highest address
 * (the guard page above the stack, if any): the regions that hold something (frames, pt_regs,
 * thread_info, the magic) to scale, one word {@link #ROW} pixels high; a run of nothing (the
 * unused space, a guard page, a gap between a per-CPU stack's frames) longer than
 * {@link #MAX_FULL_WORDS} words drawn {@link #BREAK} pixels high with a marked break, as the texts'
 * hand-drawn pictures leave out the empty middle of a stack. Such a run is cut at each mark in it
 * (the high-water mark, a stack pointer), so every mark keeps its place between the words around it.
 */
final class Scale {
  static final int ROW = 12;
  static final int BREAK = 30;
  static final int MAX_FULL_WORDS = 6;
  /** The kinds of region that hold nothing worth a row per word. */
  private static final List<String> EMPTY = List.of("unused", "guard");

  /** A stretch [low, high) of the column drawn from y (its high end) down, height high; broken. */
  record Span(long low, long high, double y, double height, boolean broken) {}

  private final List<Span> spans = new ArrayList<>();
  private final long top;
  private final long bottom;

  Scale(Column c, int word) {
    List<Block> all = new ArrayList<>(c.guards());
    all.addAll(c.blocks());
    all.sort((a, b) -> Long.compareUnsigned(b.high(), a.high()));
    long hi = c.high();
    long lo = c.low();
    for (Block b : all) {
      hi = Long.compareUnsigned(b.high(), hi) > 0 ? b.high() : hi;
      lo = Long.compareUnsigned(b.low(), lo) < 0 ? b.low() : lo;
    }
    top = hi;
    bottom = lo;
    double y = 0;
    long at = hi;
    for (Block b : all) {
      if (Long.compareUnsigned(b.high(), at) < 0) {
        y = add(b.high(), at, y, true, c, word);
      }
      if (Long.compareUnsigned(b.low(), at) < 0) {
        long from = Long.compareUnsigned(b.high(), at) < 0 ? b.high() : at;
        y = EMPTY.contains(b.kind()) ? add(b.low(), from, y, true, c, word)
            : block(b, from, y, c, word);
        at = b.low();
      }
    }
    if (Long.compareUnsigned(lo, at) < 0) {
      add(lo, at, y, true, c, word);
    }
  }

  /**
   * Adds the block's [low, high) from y down: its named words to scale (a member narrower than a
   * word, 2.6.32 x86_64's 4-byte thread_info members, still gets a row), a run of words it does
   * not name (2.4's task_struct names a few members of its 1.7 KiB) as an empty run.
   */
  private double block(Block b, long high, double y, Column c, int word) {
    List<Long> named = new ArrayList<>();
    for (Picture.Field f : b.fields()) {
      named.add(f.address());
    }
    named.sort((p, q) -> Long.compareUnsigned(q, p));
    if (named.isEmpty()) {
      return span(b.low(), high, y, false, word);
    }
    long at = high;
    for (long a : named) {
      if (Long.compareUnsigned(a + word, at) < 0) {
        y = add(a + word, at, y, true, c, word);
        at = a + word;
      }
      if (Long.compareUnsigned(a, at) < 0) {
        spans.add(new Span(a, at, y, Math.max(ROW, (double) (at - a) * ROW / word), false));
        y += spans.get(spans.size() - 1).height();
        at = a;
      }
    }
    return Long.compareUnsigned(b.low(), at) < 0 ? add(b.low(), at, y, true, c, word) : y;
  }

  /** Adds [low, high) from y down, cut at the marks inside it when empty; returns the y below. */
  private double add(long low, long high, double y, boolean empty, Column c, int word) {
    if (!empty) {
      return span(low, high, y, false, word);
    }
    List<Long> cuts = new ArrayList<>();
    for (Mark m : c.marks()) {
      if (Long.compareUnsigned(m.address(), low) > 0 && Long.compareUnsigned(m.address(), high) < 0
          && !cuts.contains(m.address())) {
        cuts.add(m.address());
      }
    }
    cuts.sort((a, b) -> Long.compareUnsigned(b, a));
    long from = high;
    for (long cut : cuts) {
      y = span(cut, from, y, true, word);
      from = cut;
    }
    return span(low, from, y, true, word);
  }

  private double span(long low, long high, double y, boolean empty, int word) {
    long words = (high - low) / word;
    boolean broken = empty && words > MAX_FULL_WORDS;
    double h = broken ? BREAK : (double) (high - low) * ROW / word;
    spans.add(new Span(low, high, y, h, broken));
    return y + h;
  }

  /** The spans from the top down. */
  List<Span> spans() {
    return spans;
  }

  /** The column's height in pixels, guard pages included. */
  double height() {
    return spans.isEmpty() ? 0 : spans.get(spans.size() - 1).y() + spans.get(spans.size()
        - 1).height();
  }

  /** The highest address drawn (the top of the guard page above the stack, if any). */
  long top() {
    return top;
  }

  /** The lowest address drawn. */
  long bottom() {
    return bottom;
  }

  /** The y of address a below the column's top (a between the lowest and the highest drawn). */
  double y(long a) {
    for (Span s : spans) {
      if (Long.compareUnsigned(a, s.low()) >= 0 && Long.compareUnsigned(a, s.high()) <= 0) {
        return s.y() + s.height() * (double) (s.high() - a) / (s.high() - s.low());
      }
    }
    return Long.compareUnsigned(a, top) > 0 ? 0 : height();
  }
}
