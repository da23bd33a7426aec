package kstack.tour;

import java.util.ArrayList;
import java.util.List;
import kstack.view.Picture;
import kstack.view.Picture.Block;
import kstack.view.Picture.Column;
import kstack.view.Picture.Mark;

/**
 * What a stop points at, found in the drawing the stop's machine makes now: {@code look: TERM} or
 * {@code look: TERM @ WHERE}. TERM is a region's kind as the drawing names it (pt_regs,
 * thread_info, task_struct, magic, switch, padding, unused, frame, guard, stale), or text in a
 * region's label ("frame of start_kernel"), a mark's label ("rsp", "high-water mark"), or a
 * stack's title or kind ("irq", "user stack"); WHERE keeps only the stacks whose title or kind
 * holds it. The first match in drawing order wins (stacks left to right, regions low to high).
 */
public final class Sights {
  private Sights() {}

  /**
   * Where the look lies: the SVG element's id ({@code id} of a region, {@code col-ID} of a whole
   * stack, for a mark its stack's), the stack's title, the bounds and what it is called.
   */
  public record Sight(String look, String elementId, String stack, long low, long high,
      String label) {}

  /** The sight of look in the picture, or null when nothing in it matches. */
  public static Sight find(Picture p, String look) {
    int at = look.lastIndexOf(" @ ");
    String term = (at < 0 ? look : look.substring(0, at)).strip();
    String where = at < 0 ? null : look.substring(at + 3).strip();
    List<Column> columns = new ArrayList<>();
    for (Column c : p.columns()) {
      if (where == null || c.kind().equals(where) || c.title().contains(where)) {
        columns.add(c);
      }
    }
    for (Column c : columns) {
      for (Block b : regions(c)) {
        if (b.kind().equals(term) || b.label().contains(term)) {
          return new Sight(look, b.id(), c.title(), b.low(), b.high(), b.label());
        }
      }
    }
    for (Column c : columns) {
      for (Mark m : c.marks()) {
        if (m.label().contains(term)) {
          return new Sight(look, "col-" + c.id(), c.title(), m.address(), m.address(), m.label());
        }
      }
    }
    for (Column c : columns) {
      if (c.kind().equals(term) || c.title().contains(term)) {
        return new Sight(look, "col-" + c.id(), c.title(), c.low(), c.high(), c.title());
      }
    }
    return null;
  }

  private static List<Block> regions(Column c) {
    List<Block> all = new ArrayList<>(c.guards());
    all.addAll(c.blocks());
    return all;
  }
}
