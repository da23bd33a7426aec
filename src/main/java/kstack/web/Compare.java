package kstack.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.machine.Machine;
import kstack.machine.ProfileDiff;
import kstack.stack.Snapshot;
import kstack.view.Picture;
import kstack.view.Pictures;

/**
 * The side-by-side view's differences: what {@code kstack diff} lists between the two machines'
 * profiles (features, constants, layouts, symbols, each with the feature that causes it), and, on
 * the two drawings, every block of a stack that the other machine's same stack does not have at the
 * same distance from its base with the same kind and size (the 2.4 task_struct where 2.6 keeps
 * thread_info, a pt_regs of another size, a frame of another function), each tied to the
 * difference that explains it. The unused and stale words are left unmarked: their extent is the
 * run's, not the generation's.
 */
final class Compare {
  private Compare() {}

  /** One marked block: its id in the drawing, kind, label, and why it differs. */
  record Marked(String id, String kind, String label, String because) {}

  /** The comparison of a's and b's machines as they stand, each drawn for the selection. */
  static Map<String, Object> of(Tab a, Tab b, Selection sel) {
    Machine ma = a.machine();
    Machine mb = b.machine();
    List<ProfileDiff.Item> items;
    Picture pa;
    Picture pb;
    Tab first = a.id().compareTo(b.id()) < 0 ? a : b; // one lock order: no deadlock
    Tab second = first == a ? b : a;
    synchronized (first) {
      synchronized (second) {
        items = ProfileDiff.compare(ma, mb);
        pa = picture(ma, sel);
        pb = picture(mb, sel);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("a", ma.profile().label());
    out.put("b", mb.profile().label());
    List<Object> list = new ArrayList<>();
    for (ProfileDiff.Item i : items) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("section", i.section());
      o.put("what", i.what());
      o.put("a", i.a());
      o.put("b", i.b());
      o.put("because", i.because());
      list.add(o);
    }
    out.put("items", list);
    Map<String, Object> marks = new LinkedHashMap<>();
    marks.put("a", json(marks(pa, pb, items)));
    marks.put("b", json(marks(pb, pa, items)));
    out.put("marks", marks);
    return out;
  }

  private static Picture picture(Machine m, Selection sel) {
    Snapshot snap = m.inspector().snapshot();
    return Pictures.of(snap, sel.resolve(snap, m.selectedCpu()).pid(), "");
  }

  /** The blocks of mine's stacks that other's same stack lacks, by distance from the base. */
  static List<Marked> marks(Picture mine, Picture other, List<ProfileDiff.Item> items) {
    Map<String, Picture.Column> others = new HashMap<>();
    other.columns().forEach(c -> others.put(c.id(), c));
    List<Marked> out = new ArrayList<>();
    for (Picture.Column c : mine.columns()) {
      Picture.Column o = others.get(c.id());
      for (Picture.Block blk : c.blocks()) {
        boolean runState = blk.kind().equals("unused") || blk.kind().equals("stale");
        if (!runState && (o == null || !has(o, blk, blk.low() - c.low()))) {
          out.add(new Marked(blk.id(), blk.kind(), blk.label(), because(blk, items)));
        }
      }
    }
    return out;
  }

  private static boolean has(Picture.Column c, Picture.Block b, long offset) {
    for (Picture.Block x : c.blocks()) {
      if (x.kind().equals(b.kind()) && x.low() - c.low() == offset
          && x.high() - x.low() == b.high() - b.low() && x.label().equals(b.label())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The listed difference that explains a block: its struct's layout (task_struct, thread_info,
   * pt_regs), its constant (the end-of-stack magic, the top padding), or the symbols of its frame's
   * function; else the generations' features together.
   */
  static String because(Picture.Block b, List<ProfileDiff.Item> items) {
    String constant = switch (b.kind()) {
      case "magic" -> "STACK_END_MAGIC";
      case "padding" -> "TOP_OF_KERNEL_STACK_PADDING";
      default -> null;
    };
    String fn = b.label().startsWith("frame of ") ? b.label().substring(9).split("[ ,]")[0] : "";
    for (ProfileDiff.Item i : items) {
      boolean hit = switch (i.section()) {
        case "layouts" -> i.what().equals("struct " + b.kind());
        case "constants" -> i.what().equals(constant);
        case "symbols" -> b.kind().equals("frame") && (" " + i.a() + " " + i.b() + " ")
            .contains(" " + fn + " ");
        default -> false;
      };
      if (hit) {
        return i.what() + ": " + i.because();
      }
    }
    List<String> features = new ArrayList<>();
    for (ProfileDiff.Item i : items) {
      if (i.section().equals("features")) {
        features.add(i.what());
      }
    }
    return features.isEmpty() ? "the two runs reach this point by different steps"
        : "the generations' code paths differ (features: " + String.join(", ", features) + ")";
  }

  private static List<Object> json(List<Marked> marks) {
    List<Object> out = new ArrayList<>();
    for (Marked m : marks) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", m.id());
      o.put("kind", m.kind());
      o.put("label", m.label());
      o.put("because", m.because());
      out.add(o);
    }
    return out;
  }
}
