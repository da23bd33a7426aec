package kstack.lang;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session.Call;
import kstack.machine.FrameDetails;
import kstack.machine.Machine;
import kstack.stack.FrameDetail;

/**
 * gdb's frame selection: {@code frame [N]}, {@code up [N]}, {@code down [N]}, and what is said of
 * the selected frame ({@code info frame}, {@code info args}, {@code info locals}). The frames are
 * the selected CPU's current task's, numbered as {@code bt} numbers them; the selection goes back
 * to frame #0 whenever the machine runs (as gdb's does at every stop) or another CPU is selected.
 */
final class FrameCmds {
  private FrameCmds() {}

  /** The selected frame of one session: its level, and the CPU it was selected on. */
  static final class Selection {
    private int level;
    private int cpu = -1;

    int level(Machine m) {
      return cpu == m.selectedCpu() ? level : 0;
    }

    void select(Machine m, int level) {
      this.level = level;
      this.cpu = m.selectedCpu();
    }

    /** The machine ran: gdb selects the innermost frame at every stop. */
    void reset() {
      level = 0;
    }
  }

  static List<FrameDetail> frames(Machine m) {
    List<FrameDetail> all = FrameDetails.of(m, m.inspector().taskStack(null, false));
    if (all.isEmpty()) {
      throw new IllegalStateException("no stack: the current task of cpu " + m.selectedCpu()
          + " has no frames to select");
    }
    return all;
  }

  /**
   * Where the selected frame keeps the parameter or local name, or null (no such name, no frame):
   * what {@code p count} reads once {@code frame 1} selected the caller.
   */
  static Long slot(Session s, String name) {
    Machine m = s.machine();
    List<FrameDetail> all;
    try {
      all = FrameDetails.of(m, m.inspector().taskStack(null, false));
    } catch (RuntimeException noStack) {
      return null; // before boot, or a task an overflow made unreadable: no frame scope
    }
    if (all.isEmpty()) {
      return null;
    }
    FrameDetail d = all.get(Math.min(s.frames().level(m), all.size() - 1));
    for (List<FrameDetail.Slot> slots : List.of(d.args(), d.locals())) {
      for (FrameDetail.Slot slot : slots) {
        if (slot.name().equals(name)) {
          return slot.address();
        }
      }
    }
    return null;
  }

  /** frame [N]: select frame N (without N: show the selected one). */
  static Result frame(Session s, Call c, String cmd) {
    Machine m = s.machine();
    List<FrameDetail> all = frames(m);
    int level = s.frames().level(m);
    if (!c.args().isEmpty()) {
      long n = c.eval(c.args(), c.argsCol()).asLong();
      if (n < 0 || n >= all.size()) {
        throw c.errorAtArgs("no frame at level " + n + " (the backtrace has frames #0 to #"
            + (all.size() - 1) + ")");
      }
      level = (int) n;
    }
    return selected(s, cmd, all, Math.min(level, all.size() - 1));
  }

  /** up [N] (toward the callers) or down [N] (toward the innermost frame), by N (default 1). */
  static Result move(Session s, Call c, String cmd, int direction) {
    Machine m = s.machine();
    List<FrameDetail> all = frames(m);
    long n = c.args().isEmpty() ? 1 : c.eval(c.args(), c.argsCol()).asLong();
    int from = Math.min(s.frames().level(m), all.size() - 1);
    long to = Math.max(0, Math.min(all.size() - 1, from + direction * n));
    if (to == from && n != 0) {
      throw c.errorAtWord(direction > 0 ? "Initial frame selected; you cannot go up."
          : "Bottom (innermost) frame selected; you cannot go down.");
    }
    return selected(s, cmd, all, (int) to);
  }

  private static Result selected(Session s, String cmd, List<FrameDetail> all, int level) {
    Machine m = s.machine();
    s.frames().select(m, level);
    FrameDetail d = all.get(level);
    Map<String, Object> args = new LinkedHashMap<>();
    d.args().forEach(a -> args.put(a.name(), a.value()));
    return Result.of(cmd, List.of(FrameViews.line(m, d))).with("level", level)
        .with("function", d.frame().function())
        .with("address", "0x" + Long.toHexString(d.frame().address())).with("args", args);
  }

  /** info frame, info args, info locals: of the selected frame. */
  static Result info(Session s, String cmd, String what) {
    Machine m = s.machine();
    List<FrameDetail> all = frames(m);
    int level = Math.min(s.frames().level(m), all.size() - 1);
    FrameDetail d = all.get(level);
    if (what.equals("frame")) {
      FrameDetail inner = level == 0 ? null : all.get(level - 1);
      FrameDetail outer = level + 1 < all.size() ? all.get(level + 1) : null;
      return Result.of(cmd, FrameViews.info(m, d, inner, outer)).with("level", level)
          .with("cfa", "0x" + Long.toHexString(d.cfa()))
          .with("record", "0x" + Long.toHexString(d.record()));
    }
    return Result.of(cmd, FrameViews.slots(m, d, what.equals("args"))).with("level", level);
  }
}
