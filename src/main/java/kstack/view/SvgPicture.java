package kstack.view;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kstack.view.Picture.Arrow;
import kstack.view.Picture.Block;
import kstack.view.Picture.Box;
import kstack.view.Picture.Column;
import kstack.view.Picture.Field;
import kstack.view.Picture.Mark;

/**
 * A picture as SVG, to scale: every stack a column growing downward (its high end on top, all
 * tops aligned), one word {@link #ROW} pixels high, so one scale holds for every column and guard
 * page; addresses on the left of each column, marks (stack pointers, TSS sp0, high-water mark,
 * task_pt_regs) left of the addresses, block labels on the right. Every element a test or the web
 * page looks for has a stable id and class: columns {@code col-ID}, blocks by their ids with class
 * {@code region region-KIND}, words {@code field}, boxes {@code box}, arrows {@code arrow} with
 * {@code data-address} (where the pointer points).
 */
public final class SvgPicture {
  static final int ROW = 12;
  private static final int MARKS = 230;
  private static final int ADDR = 130;
  private static final int BOX = 420;
  private static final int LABELS = 300;
  private static final int PITCH = MARKS + ADDR + BOX + LABELS;
  private static final int BOX_W = 250;

  private final Picture p;
  private final double scale;
  private final StringBuilder out = new StringBuilder();
  private final Map<String, double[]> anchors = new HashMap<>();
  private final Map<String, Column> columnsById = new HashMap<>();
  private int top;

  private SvgPicture(Picture p) {
    this.p = p;
    this.scale = (double) ROW / p.wordSize();
  }

  /** The picture as one well-formed SVG document. */
  public static String render(Picture p) {
    return new SvgPicture(p).draw();
  }

  private String draw() {
    int boxesBottom = layOutBoxes();
    long above = 0;
    long below = 0;
    long tallest = 0;
    for (Column c : p.columns()) {
      above = Math.max(above, guardBytes(c, true));
      below = Math.max(below, guardBytes(c, false));
      tallest = Math.max(tallest, c.high() - c.low());
    }
    top = boxesBottom + 50 + (int) (above * scale);
    int width = Math.max(PITCH * Math.max(1, p.columns().size()), 40 + 6 * (BOX_W + 20));
    int height = top + (int) ((tallest + below) * scale) + 40;
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"10\">%n", width, height,
        width, height));
    out.append(STYLE);
    out.append("<title>").append(esc(p.title())).append("</title>\n");
    out.append(String.format("<text id=\"title\" class=\"title\" x=\"20\" y=\"22\">%s</text>%n",
        esc(p.title())));
    for (int i = 0; i < p.columns().size(); i++) {
      column(p.columns().get(i), 20 + i * PITCH);
    }
    for (Box b : p.boxes()) {
      box(b);
    }
    for (Arrow a : p.arrows()) {
      arrow(a);
    }
    out.append("</svg>\n");
    return out.toString();
  }

  private static long guardBytes(Column c, boolean above) {
    return c.guards().stream().filter(g -> above == (g.low() == c.high()))
        .mapToLong(g -> g.high() - g.low()).sum();
  }

  /** Places the boxes in rows of six under the title; returns the y below them. */
  private int layOutBoxes() {
    int x = 20;
    int y = 40;
    int rowHeight = 0;
    int perRow = 0;
    for (Box b : p.boxes()) {
      int h = 18 + 13 * b.lines().size();
      if (perRow == 6) {
        x = 20;
        y += rowHeight + 16;
        rowHeight = 0;
        perRow = 0;
      }
      anchors.put(b.id(), new double[] {x, y, BOX_W, h});
      x += BOX_W + 20;
      rowHeight = Math.max(rowHeight, h);
      perRow++;
    }
    return y + rowHeight;
  }

  private double y(Column c, long address) {
    return top + (c.high() - address) * scale;
  }

  private void column(Column c, int x0) {
    columnsById.put(c.id(), c);
    int bx = x0 + MARKS + ADDR;
    anchors.put(c.id(), new double[] {bx, top, BOX, (c.high() - c.low()) * scale});
    out.append(String.format("<g id=\"col-%s\" class=\"stack stack-%s\" data-low=\"0x%x\" "
        + "data-high=\"0x%x\">%n", c.id(), c.kind(), c.low(), c.high()));
    double titleY = top - guardBytes(c, true) * scale - 10;
    out.append(String.format("<text class=\"stack-title\" x=\"%d\" y=\"%.1f\">%s</text>%n", bx,
        titleY, esc(c.title())));
    out.append(String.format("<rect class=\"stack-outline\" x=\"%d\" y=\"%d\" width=\"%d\" "
        + "height=\"%.1f\"/>%n", bx, top, BOX, (c.high() - c.low()) * scale));
    address(x0, y(c, c.high()), c.high(), "addr addr-top");
    address(x0, y(c, c.low()), c.low(), "addr addr-bottom");
    for (Block g : c.guards()) {
      block(c, g, bx, x0);
    }
    for (Block b : c.blocks()) {
      block(c, b, bx, x0);
    }
    for (Mark m : c.marks()) {
      double my = y(c, m.address());
      out.append(String.format("<g class=\"mark mark-%s\" data-address=\"0x%x\"><line x1=\"%d\" "
          + "y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/><text x=\"%d\" y=\"%.1f\">%s</text></g>%n",
          m.kind(), m.address(), x0, my, bx, my, x0, my - 2, esc(m.label())));
    }
    out.append("</g>\n");
  }

  private void block(Column c, Block b, int bx, int x0) {
    double y1 = y(c, b.high());
    double h = (b.high() - b.low()) * scale;
    out.append(String.format("<g id=\"%s\" class=\"region region-%s\" data-low=\"0x%x\" "
        + "data-high=\"0x%x\">%n", b.id(), b.kind(), b.low(), b.high()));
    out.append(String.format("<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"/>%n", bx, y1,
        BOX, h));
    out.append(String.format("<text class=\"region-label\" x=\"%d\" y=\"%.1f\">%s</text>%n",
        bx + BOX + 8, y1 + Math.min(h, ROW) - 3, esc(b.label())));
    if (b.fields().isEmpty()) {
      address(x0, y1 + h, b.low(), "addr");
    }
    for (int i = 0; i < b.fields().size(); i++) {
      Field f = b.fields().get(i);
      double fy = y(c, f.address());
      out.append(String.format("<text id=\"%s-f%d\" class=\"field\" data-address=\"0x%x\" "
          + "data-value=\"0x%x\" x=\"%d\" y=\"%.1f\">%s</text>%n", b.id(), i, f.address(),
          f.value(), bx + 4, fy - 3, esc(f.name())));
      address(x0, fy, f.address(), "addr");
    }
    out.append("</g>\n");
  }

  private void address(int x0, double y, long a, String cls) {
    out.append(String.format("<text class=\"%s\" x=\"%d\" y=\"%.1f\">0x%x</text>%n", cls,
        x0 + MARKS + ADDR - 6, y - 2, a));
  }

  private void box(Box b) {
    double[] r = anchors.get(b.id());
    out.append(String.format("<g id=\"%s\" class=\"box box-%s\"%s><rect x=\"%.0f\" y=\"%.0f\" "
        + "width=\"%.0f\" height=\"%.0f\"/>%n", b.id(), b.kind(), b.address() == 0 ? ""
        : String.format(" data-address=\"0x%x\"", b.address()), r[0], r[1], r[2], r[3]));
    out.append(String.format("<text class=\"box-label\" x=\"%.0f\" y=\"%.0f\">%s</text>%n",
        r[0] + 6, r[1] + 14, esc(b.label())));
    List<String> lines = b.lines();
    for (int i = 0; i < lines.size(); i++) {
      out.append(String.format("<text class=\"box-line\" x=\"%.0f\" y=\"%.0f\">%s</text>%n",
          r[0] + 6, r[1] + 27 + 13 * i, esc(lines.get(i))));
    }
    out.append("</g>\n");
  }

  private void arrow(Arrow a) {
    double[] from = end(a.fromId(), a.from(), true);
    double[] to = end(a.toId(), a.to(), false);
    double mid = (from[1] + to[1]) / 2;
    out.append(String.format("<g id=\"%s\" class=\"arrow\" data-name=\"%s\" data-from=\"%s\" "
        + "data-to=\"%s\" data-address=\"0x%x\"><path d=\"M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f "
        + "%.1f\" marker-end=\"url(#head)\"/><text x=\"%.1f\" y=\"%.1f\">%s = 0x%x</text></g>%n",
        a.id(), esc(a.name()), a.fromId(), a.toId(), a.to(), from[0], from[1], from[0], mid, to[0],
        mid, to[0], to[1], to[0] + 4, to[1] - 4, esc(a.name()), a.to()));
  }

  /** Where an arrow leaves (a box's bottom, a column's right edge) or ends (a column's left edge). */
  private double[] end(String id, long address, boolean leaving) {
    Column c = columnsById.get(id);
    double[] r = anchors.get(id);
    if (c == null) {
      return new double[] {r[0] + r[2] / 2, leaving ? r[1] + r[3] : r[1] + r[3]};
    }
    double ay = address == 0 ? top : y(c, address) - (address == c.high() ? 0 : ROW / 2.0);
    return new double[] {leaving ? r[0] + r[2] : r[0], ay};
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        default -> b.append(ch < 0x20 ? ' ' : ch);
      }
    }
    return b.toString();
  }

  private static final String STYLE = """
      <defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" \
      markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker>
      <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" \
      patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#b55" \
      stroke-width="2"/></pattern></defs>
      <style>
      .title{font-size:14px;font-weight:bold} .stack-title{font-weight:bold}
      .stack-outline{fill:none;stroke:#000;stroke-width:1.5}
      .region rect{stroke:#333;stroke-width:0.5;fill:#eee}
      .region-pt_regs rect{fill:#fde2b8} .region-stale rect{fill:#f3ead9}
      .region-thread_info rect,.region-task_struct rect{fill:#cfe3f7}
      .region-magic rect{fill:#f7c6c6} .region-unused rect{fill:#fff}
      .region-frame rect{fill:#d9f0d3} .region-switch rect{fill:#e5d6f2}
      .region-padding rect{fill:#ddd} .region-guard rect{fill:url(#hatch)}
      .addr{text-anchor:end;fill:#555} .field{font-size:9px} .region-label{fill:#222}
      .box rect{fill:#fffbe6;stroke:#333} .box-label{font-weight:bold}
      .mark line{stroke:#c00;stroke-width:1.5} .mark text{fill:#c00}
      .mark-high-water line{stroke:#06c;stroke-dasharray:4 2} .mark-high-water text{fill:#06c}
      .arrow path{fill:none;stroke:#36c;stroke-width:1.2} .arrow text{fill:#36c;font-size:9px}
      </style>
      """;
}
