package kstack.view;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kstack.view.Picture.Arrow;
import kstack.view.Picture.Box;

/**
 * The arrows of an SVG picture, drawn at right angles through the free space: each leaves its
 * source to the left (a box from the line that names the pointer, a stack from the word that
 * holds it), runs down a lane of its own left of the target's addresses and enters the target from
 * the left (a stack at the address it holds, a box at its name). An arrow between two cells
 * crosses over along a channel of its own above the target's row. The name and value are the
 * arrow's tooltip; the box line it leaves from shows them too.
 */
final class Routes {
  private static final int LANE_STEP = 5;
  private static final int LANES = 6;
  private static final int CHANNEL_STEP = 4;

  private final SvgPicture pic;
  private final Map<SvgColumn, Integer> lanes = new HashMap<>();
  private final Map<Double, Integer> channels = new HashMap<>();

  Routes(SvgPicture pic) {
    this.pic = pic;
  }

  void draw(List<Arrow> arrows, StringBuilder out) {
    for (Arrow a : arrows) {
      SvgColumn from = cell(a.fromId());
      SvgColumn to = cell(a.toId());
      if (from == null || to == null) {
        continue;
      }
      double[] s = source(a);
      double[] t = target(a);
      String d;
      double lane = lane(to);
      if (from == to) {
        d = String.format("M%.1f %.1f H%.1f V%.1f H%.1f", s[0], s[1], lane, t[1], t[0]);
      } else {
        double ch = channel(pic.rowTop(to));
        d = String.format("M%.1f %.1f H%.1f V%.1f H%.1f V%.1f H%.1f", s[0], s[1], lane(from), ch,
            lane, t[1], t[0]);
      }
      out.append(String.format("<g id=\"%s\" class=\"arrow\" data-name=\"%s\" data-from=\"%s\" "
          + "data-to=\"%s\" data-address=\"0x%x\"><title>%s = 0x%x</title><path d=\"%s\" "
          + "marker-end=\"url(#head)\"/></g>%n", a.id(), SvgPicture.esc(a.name()), a.fromId(),
          a.toId(), a.to(), SvgPicture.esc(a.name()), a.to(), d));
    }
  }

  /** The cell of a column or of the column a box is drawn above. */
  private SvgColumn cell(String id) {
    SvgColumn c = pic.column(id);
    return c != null ? c : pic.cellOfBox(id);
  }

  /** Where an arrow leaves: a box's left edge at the line naming it, a stack's at the word. */
  private double[] source(Arrow a) {
    SvgColumn c = pic.column(a.fromId());
    if (c != null) {
      double y = c.y(a.from() == 0 ? c.c.high() : a.from());
      return new double[] {c.boxX(), y};
    }
    double[] r = pic.boxAt(a.fromId());
    Box b = pic.box(a.fromId());
    List<String> lines = b.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(a.name() + " = ")) {
        return new double[] {r[0], r[1] + 23 + 13 * i};
      }
    }
    return new double[] {r[0], r[1] + 10};
  }

  /** Where an arrow ends: a stack's left edge at the address, a box's left edge at its name. */
  private double[] target(Arrow a) {
    SvgColumn c = pic.column(a.toId());
    if (c != null) {
      return new double[] {c.boxX(), c.y(a.to())};
    }
    double[] r = pic.boxAt(a.toId());
    return new double[] {r[0], r[1] + 10};
  }

  private double lane(SvgColumn c) {
    int k = lanes.merge(c, 1, Integer::sum) - 1;
    return c.x + 4 + LANE_STEP * (k % LANES);
  }

  private double channel(double rowTop) {
    int k = channels.merge(rowTop, 1, Integer::sum) - 1;
    return rowTop - 8 - CHANNEL_STEP * k;
  }
}
