package kstack.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kstack.view.Picture.Arrow;
import kstack.view.Picture.Box;
import kstack.view.Picture.Column;
import kstack.view.Picture.Field;

/**
 * A {@link Picture} as one SVG document, laid out to be read in a browser window: each stack a
 * column growing downward ({@link SvgColumn}, to scale within itself with the empty stretches cut
 * short by {@link Scale}), the columns side by side in rows that wrap where the picture comes
 * out closest to a screen's shape (at most {@link #MAX_WIDTH} pixels wide); each task_struct box above its task's stack, each CPU box above the stack its stack
 * pointer is on, so that their arrows stay short ({@link Routes}). Every element a test or the web
 * page looks for has a stable id and class: the root {@code kstack-picture} (width, height and
 * viewBox give its natural size), columns {@code col-ID}, blocks by their ids with class
 * {@code region region-KIND}, words {@code field}, boxes {@code box}, arrows {@code arrow} with
 * {@code data-address} (where the pointer points).
 */
public final class SvgPicture {
  static final int MAX_WIDTH = 4000;
  private static final double SHAPE = 1.6;
  private static final int MARGIN = 20;
  private static final int TITLE = 24;
  private static final int ROW_GAP = 44;
  private static final int BOX_GAP = 10;

  private final Picture p;
  private final StringBuilder out = new StringBuilder();
  private final List<SvgColumn> cols = new ArrayList<>();
  private final Map<String, SvgColumn> colById = new HashMap<>();
  private final Map<String, double[]> boxAt = new HashMap<>();
  private final Map<String, SvgColumn> boxCell = new HashMap<>();
  private final List<Double> rowTops = new ArrayList<>();
  private final Map<SvgColumn, Integer> rowOf = new HashMap<>();

  private SvgPicture(Picture p) {
    this.p = p;
  }

  /** The picture as one well-formed SVG document. */
  public static String render(Picture p) {
    return new SvgPicture(p).draw();
  }

  private String draw() {
    double boxW = 220;
    for (Column c : p.columns()) {
      for (Picture.Block b : c.blocks()) {
        for (Field f : b.fields()) {
          boxW = Math.max(boxW, Text.width(f.name(), Text.SMALL) + 10);
        }
      }
    }
    for (Column c : p.columns()) {
      SvgColumn sc = new SvgColumn(c, p.wordSize(), Math.ceil(boxW));
      cols.add(sc);
      colById.put(c.id(), sc);
    }
    double[] size = layOut(rowWidth());
    int width = (int) Math.ceil(size[0]);
    int height = (int) Math.ceil(size[1]);
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kstack-picture\" "
        + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" "
        + "font-size=\"10\">%n", width, height, width, height));
    out.append(STYLE);
    out.append("<title>").append(esc(p.title())).append("</title>\n");
    out.append(String.format("<text id=\"title\" class=\"title\" x=\"%d\" y=\"22\">%s</text>%n",
        MARGIN, esc(p.title())));
    for (SvgColumn c : cols) {
      out.append(String.format("<text class=\"stack-title\" x=\"%.1f\" y=\"%.1f\">%s</text>%n",
          c.boxX(), rowTops.get(rowOf.get(c)) + 14, esc(c.c.title())));
      c.render(out);
    }
    for (Box b : p.boxes()) {
      box(b);
    }
    new Routes(this).draw(p.arrows(), out);
    out.append("</svg>\n");
    return out.toString();
  }

  /**
   * The widest row that gives the picture the shape closest to a screen's (16:10): each way the
   * columns can wrap is laid out and measured, the one whose width over height is nearest wins.
   */
  private double rowWidth() {
    double best = MAX_WIDTH;
    double bestScore = Double.MAX_VALUE;
    double w = MARGIN;
    for (SvgColumn c : cols) {
      w += c.width();
      double[] size = layOut(w);
      double score = Math.abs(Math.log(size[0] / size[1] / SHAPE));
      if (w <= MAX_WIDTH && score < bestScore) {
        best = w;
        bestScore = score;
      }
    }
    return best;
  }

  /** Places columns in rows of at most maxWidth and boxes above them; returns the size. */
  private double[] layOut(double maxWidth) {
    rowTops.clear();
    boxAt.clear();
    Map<SvgColumn, List<Box>> headers = new HashMap<>();
    for (Box b : p.boxes()) {
      SvgColumn home = home(b);
      if (home != null) {
        headers.computeIfAbsent(home, k -> new ArrayList<>()).add(b);
        boxCell.put(b.id(), home);
      }
    }
    double y = 40;
    double width = 0;
    int i = 0;
    while (i < cols.size()) {
      int j = i;
      double x = MARGIN;
      while (j < cols.size() && (j == i || x + cols.get(j).width() <= maxWidth + 0.5)) {
        x += cols.get(j).width();
        j++;
      }
      width = Math.max(width, x);
      rowTops.add(y);
      double header = 0;
      for (int k = i; k < j; k++) {
        header = Math.max(header, header(cols.get(k), headers.get(cols.get(k)), y + TITLE));
      }
      double tallest = 0;
      double cx = MARGIN;
      for (int k = i; k < j; k++) {
        SvgColumn c = cols.get(k);
        c.x = cx;
        cx += c.width();
        c.top = y + TITLE + header;
        tallest = Math.max(tallest, c.height());
        rowOf.put(c, rowTops.size() - 1);
      }
      for (int k = i; k < j; k++) {
        header(cols.get(k), headers.get(cols.get(k)), y + TITLE);
      }
      y += TITLE + header + tallest + ROW_GAP;
      i = j;
    }
    double boxesRight = boxAt.values().stream().mapToDouble(r -> r[0] + r[2]).max().orElse(0);
    return new double[] {Math.max(width, boxesRight) + MARGIN, y};
  }

  /** The column a box is drawn above: its task's stack, or the stack its CPU's sp is on. */
  private SvgColumn home(Box b) {
    for (Arrow a : p.arrows()) {
      if (a.fromId().equals(b.id()) && colById.containsKey(a.toId())) {
        return colById.get(a.toId());
      }
    }
    return cols.isEmpty() ? null : cols.get(0);
  }

  /** Lays the boxes out left to right above the column from y; returns the height they take. */
  private double header(SvgColumn c, List<Box> boxes, double y) {
    if (boxes == null) {
      return 0;
    }
    double x = c.boxX();
    double rowH = 0;
    double top = y;
    for (Box b : boxes) {
      double w = boxWidth(b);
      double h = 18 + 13 * b.lines().size();
      if (x > c.boxX() && x + w > c.x + c.width() - 20) {
        x = c.boxX();
        top += rowH + BOX_GAP;
        rowH = 0;
      }
      boxAt.put(b.id(), new double[] {x, top, w, h});
      x += w + BOX_GAP;
      rowH = Math.max(rowH, h);
    }
    return top + rowH + BOX_GAP + 6 - y;
  }

  private static double boxWidth(Box b) {
    double w = Text.width(b.label(), Text.FONT);
    for (String l : b.lines()) {
      w = Math.max(w, Text.width(l, Text.FONT));
    }
    return Math.ceil(w + 14);
  }

  private void box(Box b) {
    double[] r = boxAt.get(b.id());
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

  // ---- what Routes needs ----------------------------------------------------------------------

  SvgColumn column(String id) {
    return colById.get(id);
  }

  /** The cell a box sits in (the column it is drawn above). */
  SvgColumn cellOfBox(String id) {
    return boxCell.get(id);
  }

  /** A box's x, y, width, height. */
  double[] boxAt(String id) {
    return boxAt.get(id);
  }

  Box box(String id) {
    return p.boxes().stream().filter(b -> b.id().equals(id)).findFirst().orElse(null);
  }

  double rowTop(SvgColumn c) {
    return rowTops.get(rowOf.get(c));
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
      .addr{fill:#555} .field{font-size:9px} .region-label{fill:#222}
      .break{fill:none;stroke:#666;stroke-width:1} .leader{fill:none;stroke:#999;stroke-width:0.7}
      .box rect{fill:#fffbe6;stroke:#333} .box-label{font-weight:bold}
      .mark line{stroke:#c00;stroke-width:1.5;stroke-dasharray:6 3} .mark text{fill:#c00}
      .mark-high-water line{stroke:#06c;stroke-dasharray:4 2} .mark-high-water text{fill:#06c}
      .arrow path{fill:none;stroke:#36c;stroke-width:1.2}
      </style>
      """;
}
