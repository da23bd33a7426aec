package kstack.view;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kstack.stack.Pointer;
import kstack.stack.Snapshot;
import kstack.view.Picture.Arrow;
import kstack.view.Picture.Box;
import kstack.view.Picture.Column;

/**
 * The snapshot's pointers as arrows between the picture's elements: a pointer held by a CPU (a
 * register, a per-CPU variable, the TSS) leaves from the CPU's box; one stored on a stack leaves
 * from that stack's column; one stored in a task_struct drawn as a box leaves from it. It points at
 * the task_struct box whose address it holds, else the stack that holds the address (a stack
 * pointer may also equal the stack's top, the empty stack). A pointer with an end not drawn is left
 * out.
 */
final class Arrows {
  private final Snapshot snap;
  private final List<Column> columns;
  private final List<Box> boxes;

  Arrows(Snapshot snap, List<Column> columns, List<Box> boxes) {
    this.snap = snap;
    this.columns = columns;
    this.boxes = boxes;
  }

  List<Arrow> all() {
    List<Arrow> out = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Pointer p : snap.pointers()) {
      String from = from(p);
      String to = target(p.value());
      if (from == null || to == null) {
        continue;
      }
      String id = "arrow-" + from + "-" + p.name().replaceAll("[^A-Za-z0-9_]+", "-");
      if (ids.add(id)) {
        out.add(new Arrow(id, p.name(), from, p.at() == 0 ? 0 : p.at(), to, p.value()));
      }
    }
    return out;
  }

  private String from(Pointer p) {
    if (p.at() != 0) {
      for (Box b : boxes) {
        if (b.kind().equals("task_struct") && b.address() == p.at()) {
          return b.id();
        }
      }
      for (Column c : columns) {
        if (c.holds(p.at())) {
          return c.id();
        }
      }
    }
    if (p.cpu() >= 0) {
      String id = "cpu" + p.cpu();
      return boxes.stream().anyMatch(b -> b.id().equals(id)) ? id : null;
    }
    return null;
  }

  private String target(long a) {
    for (Box b : boxes) {
      if (b.kind().equals("task_struct") && b.address() == a) {
        return b.id();
      }
    }
    for (Column c : columns) {
      if (c.holds(a)) {
        return c.id();
      }
    }
    for (Column c : columns) {
      if (c.high() == a) {
        return c.id();
      }
    }
    return null;
  }
}
