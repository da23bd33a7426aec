package kstack.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.stack.CpuState;
import kstack.stack.Frame;
import kstack.stack.Pointer;
import kstack.stack.Snapshot;
import kstack.stack.StackRange;
import kstack.stack.StackRegion;
import kstack.stack.TaskInfo;
import kstack.stack.TaskStack;
import kstack.view.Picture.Block;
import kstack.view.Picture.Box;
import kstack.view.Picture.Column;
import kstack.view.Picture.Mark;

/**
 * The drawing model of a snapshot: every stack in use (each task's kernel stack, the selected
 * task's user stack, each CPU's per-CPU stacks) as columns of labelled blocks, each CPU and each
 * task_struct that lies outside the stacks as a box, and the snapshot's pointers as arrows and
 * marks. Built from the snapshot alone.
 */
public final class Pictures {
  private final Snapshot snap;
  private final int word;
  private final List<Column> columns = new ArrayList<>();
  private final List<Box> boxes = new ArrayList<>();

  private Pictures(Snapshot snap) {
    this.snap = snap;
    this.word = wordSize(snap);
  }

  /**
   * The picture of every stack (pid null), or of one task with the stacks it touches: its own, the
   * per-CPU stacks its frames are on or its CPU's stack pointer is in, its user stack.
   */
  public static Picture of(Snapshot snap, Integer pid, String title) {
    return new Pictures(snap).build(pid, title);
  }

  private Picture build(Integer pid, String title) {
    for (TaskStack t : snap.taskStacks()) {
      if (t.stack() != null && (pid == null || t.owner().pid() == pid)) {
        columns.add(taskColumn(t));
      }
    }
    for (StackRegion u : snap.userStacks()) {
      if (pid == null || u.owner().pid() == pid) {
        columns.add(regionColumn("user-" + u.owner().pid(), "pid " + u.owner().pid() + " ("
            + u.owner().comm() + "): user stack " + u.name(), u));
      }
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (StackRegion r : snap.cpuStacks()) {
      if (pid == null || touches(r, pid)) {
        String id = "cpu" + r.owner().cpu() + "-" + r.kind().label();
        int n = seen.merge(id, 1, Integer::sum);
        columns.add(regionColumn(n == 1 ? id : id + "-" + n, "cpu" + r.owner().cpu() + ": "
            + (r.name().isEmpty() ? r.kind().label() + " stack" : r.name()), r));
      }
    }
    cpuBoxes(pid);
    taskBoxes(pid);
    List<Column> marked = new ArrayList<>();
    for (Column c : columns) {
      marked.add(withMarks(c));
    }
    columns.clear();
    columns.addAll(marked);
    return new Picture(title, word, columns, boxes, new Arrows(snap, columns, boxes).all());
  }

  /** A per-CPU or user stack this task's frames are on, or its CPU's sp points into. */
  private boolean touches(StackRegion r, int pid) {
    for (TaskStack t : snap.taskStacks()) {
      if (t.owner().pid() != pid) {
        continue;
      }
      for (Frame f : t.backtrace()) {
        if (r.frames().contains(f)) {
          return true;
        }
      }
      for (CpuState c : snap.cpus()) {
        if (c.current() == t.owner().task() && r.range().holdsSp(c.sp())
            && c.cpu() == r.owner().cpu()) {
          return true;
        }
      }
    }
    return false;
  }

  private Column taskColumn(TaskStack t) {
    StackRegion s = t.stack();
    String id = "task-" + t.owner().pid();
    String title = "pid " + t.owner().pid() + " (" + t.owner().comm() + "): kernel stack";
    return new Column(id, title, "task", s.low(), s.high(), guards(s, id),
        Blocks.of(id, s, t.backtrace(), word), taskMarks(t));
  }

  private List<Mark> taskMarks(TaskStack t) {
    List<Mark> marks = new ArrayList<>();
    if (t.highWater() != 0) {
      marks.add(new Mark("high-water", String.format("high-water mark (stack_not_used: %d bytes)",
          t.highWater() - firstUsable(t)), t.highWater()));
    }
    if (t.ptRegs() != 0) {
      marks.add(new Mark("pt-regs", "task_pt_regs", t.ptRegs()));
    }
    return marks;
  }

  /** The first word stack_not_used counts from: the unused block's low end, else the high-water. */
  private static long firstUsable(TaskStack t) {
    return t.stack().words().stream().filter(w -> w.kind() == kstack.stack.WordKind.UNUSED)
        .mapToLong(w -> w.address()).findFirst().orElse(t.highWater());
  }

  /** A per-CPU or user stack: its frame records as blocks (the arch labels task stacks only). */
  private Column regionColumn(String id, String title, StackRegion r) {
    List<Block> blocks = new ArrayList<>();
    for (Frame f : r.frames()) {
      if (f.frameAddr() != 0 && r.range().holds(f.frameAddr(), word)) {
        blocks.add(new Block(id + "-b" + blocks.size(), "frame", f.frameAddr(),
            Math.min(f.frameAddr() + 2L * word, r.high()), "frame record of " + f.function()
            + String.format(" (pc 0x%x)", f.address()), List.of()));
      }
    }
    blocks.sort((a, b) -> Long.compareUnsigned(a.low(), b.low()));
    return new Column(id, title, r.kind().label(), r.low(), r.high(), guards(r, id), blocks,
        List.of());
  }

  private List<Block> guards(StackRegion r, String id) {
    List<Block> out = new ArrayList<>();
    for (StackRange g : snap.guards()) {
      if (g.high() == r.low() || g.low() == r.high()) {
        out.add(new Block(id + "-guard" + out.size(), "guard", g.low(), g.high(), g.name(),
            List.of()));
      }
    }
    return out;
  }

  /** Adds the stack-pointer and TSS marks of the snapshot's pointers that land on the column. */
  private Column withMarks(Column c) {
    List<Mark> marks = new ArrayList<>(c.marks());
    for (Pointer p : snap.pointers()) {
      boolean sp = p.inRegister() && snap.cpus().stream().anyMatch(
          s -> s.cpu() == p.cpu() && s.spName().equals(p.name()));
      boolean tss = p.name().contains("sp0") || p.name().contains("sp1");
      long at = p.value();
      boolean on = c.holds(at) || (sp || tss) && at == c.high();
      if (on && (sp || tss)) {
        marks.add(new Mark(sp ? "sp" : "tss", String.format("%s (cpu%d) = 0x%x", p.name(),
            p.cpu(), at), at));
      }
    }
    return new Column(c.id(), c.title(), c.kind(), c.low(), c.high(), c.guards(), c.blocks(),
        marks);
  }

  private void cpuBoxes(Integer pid) {
    for (CpuState c : snap.cpus()) {
      TaskInfo cur = task(c.current());
      if (pid != null && (cur == null || cur.pid() != pid)) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      lines.add(String.format("%s = 0x%x%s", c.spName(), c.sp(), c.userMode() ? " (user)" : ""));
      lines.add(cur == null ? "current: unreadable" : "current: pid " + cur.pid() + " ("
          + cur.comm() + ")");
      for (Pointer p : snap.pointers()) {
        if (p.cpu() == c.cpu() && !p.name().equals(c.spName())
            && columns.stream().noneMatch(col -> col.holds(p.at()))) {
          lines.add(String.format("%s = 0x%x", p.name(), p.value()));
        }
      }
      boxes.add(new Box("cpu" + c.cpu(), "cpu", "cpu" + c.cpu(), 0, lines));
    }
  }

  /** The task_structs that do not lie on a drawn stack (2.4's sit at their union's base). */
  private void taskBoxes(Integer pid) {
    for (TaskInfo t : snap.tasks()) {
      if (pid != null && t.pid() != pid) {
        continue;
      }
      if (columns.stream().noneMatch(c -> c.holds(t.task()))) {
        List<String> lines = new ArrayList<>(List.of(String.format("at 0x%x", t.task())));
        for (Pointer p : snap.pointers()) {
          if (p.at() == t.task()) {
            lines.add(String.format("%s = 0x%x", p.name(), p.value()));
          }
        }
        if (lines.size() == 1) {
          lines.add(String.format("stack 0x%x", t.stack()));
        }
        boxes.add(new Box("ts-" + t.pid(), "task_struct", "task_struct: pid " + t.pid() + " ("
            + t.comm() + ")", t.task(), lines));
      }
    }
  }

  private TaskInfo task(long address) {
    return snap.tasks().stream().filter(t -> t.task() == address).findFirst().orElse(null);
  }

  /** The word size: 8 where the stacks lie above 4 GiB (x86_64, arm64), else 4 (i386). */
  static int wordSize(Snapshot snap) {
    for (StackRegion r : snap.regions()) {
      if (Long.compareUnsigned(r.high(), 0xffffffffL) > 0) {
        return 8;
      }
    }
    return 4;
  }
}
