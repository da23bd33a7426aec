package kstack.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.view.Picture.Block;
import kstack.view.Picture.Column;
import kstack.view.Picture.Field;
import kstack.view.Picture.Mark;

/**
 * One stack of an SVG picture in its cell: the stack's title, a lane on the left for the arrows
 * that reach it, its addresses right-aligned left of the stack, the stack (blocks with their words
 * named inside, breaks where {@link Scale} leaves space out), and on the right its labels: each
 * block's label at the block's top row and each mark's label (red, a line across the stack at its
 * address), moved down where they would overlap, with a leader line back to the row they name.
 */
final class SvgColumn {
  static final int LANE = 36;
  static final int GAP = 10;
  private static final int LINE = 12;
  private static final int WRAP = 44;

  /** A label of the right-hand side: its wanted and placed baselines, and the row it names. */
  private record Label(String key, String text, double want, double anchor) {
    List<String> lines() {
      return wrap(text);
    }
  }

  /** A label cut at spaces into lines of at most WRAP characters (a longer word stays whole). */
  static List<String> wrap(String text) {
    List<String> out = new ArrayList<>();
    String rest = text;
    while (rest.length() > WRAP) {
      int cut = rest.lastIndexOf(' ', WRAP);
      if (cut <= 0) {
        cut = rest.indexOf(' ', WRAP);
        if (cut < 0) {
          break;
        }
      }
      out.add(rest.substring(0, cut + 1));
      rest = rest.substring(cut + 1);
    }
    out.add(rest);
    return out;
  }

  final Column c;
  final Scale scale;
  final double addrW;
  final double boxW;
  final double labelW;
  private final List<Label> labels = new ArrayList<>();
  private final double[] placed;
  private final Map<String, Integer> index = new HashMap<>();
  private final double bottom;
  double x;
  double top;

  SvgColumn(Column c, int word, double boxW) {
    this.c = c;
    this.scale = new Scale(c, word);
    this.addrW = Text.width(String.format("0x%0" + (2 * word) + "x", 0), Text.FONT) + 8;
    this.boxW = boxW;
    for (Block b : regions()) {
      double y1 = scale.y(b.high());
      double h = scale.y(b.low()) - y1;
      labels.add(new Label(b.id(), b.label(), y1 + Math.min(h, Scale.ROW) - 3, y1
          + Math.min(h, Scale.ROW) / 2));
    }
    for (int i = 0; i < c.marks().size(); i++) {
      double my = scale.y(c.marks().get(i).address());
      labels.add(new Label("mark" + i, c.marks().get(i).label(), my + 3.5, my));
    }
    labels.sort((a, b) -> Double.compare(a.want(), b.want()));
    placed = new double[labels.size()];
    double next = -1e9;
    double w = 0;
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i).key(), i);
      placed[i] = Math.max(labels.get(i).want(), next);
      next = placed[i] + LINE * labels.get(i).lines().size();
      for (String line : labels.get(i).lines()) {
        w = Math.max(w, Text.width(line, Text.FONT));
      }
    }
    this.bottom = next;
    this.labelW = w + 24;
  }

  /** Guard pages and blocks, in the picture's order. */
  List<Block> regions() {
    List<Block> all = new ArrayList<>(c.guards());
    all.addAll(c.blocks());
    return all;
  }

  double width() {
    return LANE + addrW + 6 + boxW + GAP + labelW + 20;
  }

  /** How far below the column's top its drawing goes (labels pushed down included). */
  double height() {
    double h = scale.height();
    return placed.length == 0 ? h : Math.max(h, bottom - LINE + 4);
  }

  /** The left edge of the stack. */
  double boxX() {
    return x + LANE + addrW + 6;
  }

  /** The y of an address on the drawing. */
  double y(long a) {
    return top + scale.y(a);
  }

  void render(StringBuilder out) {
    double bx = boxX();
    out.append(String.format("<g id=\"col-%s\" class=\"stack stack-%s\" data-low=\"0x%x\" "
        + "data-high=\"0x%x\">%n", c.id(), c.kind(), c.low(), c.high()));
    Map<Long, String> addresses = new LinkedHashMap<>();
    addresses.put(c.high(), "addr addr-top");
    addresses.put(c.low(), "addr addr-bottom");
    for (Block b : regions()) {
      block(out, b, bx, addresses);
    }
    out.append(String.format("<rect class=\"stack-outline\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
        + "height=\"%.1f\"/>%n", bx, y(c.high()), boxW, y(c.low()) - y(c.high())));
    for (Scale.Span s : scale.spans()) {
      if (s.broken()) {
        brk(out, bx, top + s.y() + s.height() / 2);
      }
    }
    for (Map.Entry<Long, String> a : addresses.entrySet()) {
      out.append(String.format("<text class=\"%s\" text-anchor=\"end\" x=\"%.1f\" y=\"%.1f\">"
          + "0x%x</text>%n", a.getValue(), bx - 6, y(a.getKey()) - 2, a.getKey()));
    }
    for (int i = 0; i < c.marks().size(); i++) {
      Mark m = c.marks().get(i);
      double my = y(m.address());
      out.append(String.format("<g class=\"mark mark-%s\" data-address=\"0x%x\"><line x1=\"%.1f\" "
          + "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%s</g>%n", m.kind(), m.address(), bx, my,
          bx + boxW + GAP - 2, my, label("mark" + i, "mark-label")));
    }
    out.append("</g>\n");
  }

  private void block(StringBuilder out, Block b, double bx, Map<Long, String> addresses) {
    double y1 = y(b.high());
    double h = y(b.low()) - y1;
    out.append(String.format("<g id=\"%s\" class=\"region region-%s\" data-low=\"0x%x\" "
        + "data-high=\"0x%x\">%n", b.id(), b.kind(), b.low(), b.high()));
    out.append(String.format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>%n", bx,
        y1, boxW, h));
    out.append(label(b.id(), "region-label"));
    addresses.putIfAbsent(b.low(), "addr");
    for (int i = 0; i < b.fields().size(); i++) {
      Field f = b.fields().get(i);
      out.append(String.format("<text id=\"%s-f%d\" class=\"field\" data-address=\"0x%x\" "
          + "data-value=\"0x%x\" x=\"%.1f\" y=\"%.1f\">%s</text>%n", b.id(), i, f.address(),
          f.value(), bx + 4, y(f.address()) - 3, SvgPicture.esc(f.name())));
      addresses.putIfAbsent(f.address(), "addr");
    }
    out.append("</g>\n");
  }

  /** The label text (placed by the constructor) and its leader line when it was moved. */
  private String label(String key, String cls) {
    int i = index.get(key);
    Label l = labels.get(i);
    double ly = top + placed[i];
    double gx = boxX() + boxW + GAP;
    String leader = ly - l.want() - top > 2 ? String.format("<polyline class=\"leader\" "
        + "points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", boxX() + boxW, top + l.anchor(), gx - 4,
        top + l.anchor(), gx - 4, ly - 4) : "";
    List<String> lines = l.lines();
    if (lines.size() == 1) {
      return String.format("%s<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>%n", leader, cls,
          gx, ly, SvgPicture.esc(l.text()));
    }
    StringBuilder t = new StringBuilder();
    for (int k = 0; k < lines.size(); k++) {
      t.append(String.format("<tspan x=\"%.1f\" y=\"%.1f\">%s</tspan>", gx, ly + LINE * k,
          SvgPicture.esc(lines.get(k))));
    }
    return String.format("%s<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>%n", leader, cls,
        gx, ly, t);
  }

  /**
   * The marked break across the stack where Scale left space out: two zigzag lines, each one
   * relative path repeated (formatting every point cost most of a picture's time).
   */
  private void brk(StringBuilder out, double bx, double my) {
    String zigzag = " l4 -3" + " l4 6 l4 -6".repeat((int) Math.ceil((boxW + 4) / 8));
    out.append(String.format("<path class=\"break\" d=\"M%.1f %.1f%s M%.1f %.1f%s\"/>%n", bx - 4,
        my - 4, zigzag, bx - 4, my + 4, zigzag));
  }
}
