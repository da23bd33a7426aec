package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.machine.Machine;
import kstack.stack.Frame;
import kstack.stack.Snapshot;
import kstack.stack.StackKind;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskInfo;
import kstack.stack.TaskStack;

/**
 * {@code bt}, {@code stack} and {@code ps} as renderings of the machine's stack snapshot
 * ({@link Snapshot}, {@link TaskStack}): the one place where frames, labelled words and the task
 * list become text and the {@code --json} fields.
 */
final class StackViews {
  private StackViews() {}

  /** bt: a task's frames, innermost first, with a separator where the stack changes. */
  static Result bt(Machine m, String cmd, Integer pid, TaskStack t) {
    return bt(m, cmd, pid, t, 0, Integer.MAX_VALUE);
  }

  /**
   * bt limited to the frames numbered from to below (gdb's {@code bt N}, {@code bt -N}): the others
   * are counted, not shown, nor the separators before them.
   */
  static Result bt(Machine m, String cmd, Integer pid, TaskStack t, int from, int below) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    int i = 0;
    StackKind lastStack = null;
    String stopped = null;
    for (Frame f : t.backtrace()) {
      boolean shown = i >= from && i < below;
      if (!shown && kstack.machine.FrameDetails.numbered(f)) {
        lastStack = f.stack();
        i++;
        continue;
      }
      if (!shown && !f.function().equals(Frame.STOPPED)) {
        continue;
      }
      if (f.function().equals(Frame.STOPPED)) {
        stopped = f.note();
        text.add("Backtrace stopped: " + f.note() + " (the stack or a task pointer is corrupt)");
        continue;
      }
      if (f.function().startsWith("---")) {
        text.add("    --- <" + (f.stackName().isEmpty() ? f.stack().label() : f.stackName())
            + ": pt_regs> --- " + f.note());
        continue;
      }
      boolean first = lastStack == null;
      if ((first && f.stack() != StackKind.TASK && f.stack() != StackKind.USER)
          || (!first && lastStack != f.stack() && f.stack() != StackKind.USER)) {
        text.add("    --- <" + (f.stackName().isEmpty() ? stackName(f.stack()) : f.stackName())
            + "> ---");
      }
      lastStack = f.stack();
      String off = f.offset() == 0 ? "" : "+0x" + Long.toHexString(f.offset());
      text.add(String.format("#%-2d " + m.hexFormat() + " in %s%s  [%s]%s", i++, f.address(),
          f.function(), off, f.stack().label(), f.note().isEmpty() ? "" : "  (" + f.note() + ")"));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("function", f.function());
      o.put("address", hex(f.address()));
      o.put("stack", f.stack().label());
      if (!f.stackName().isEmpty()) {
        o.put("stack_name", f.stackName());
      }
      json.add(o);
    }
    String overwritten = t.damage();
    if (overwritten == null) {
      text.add(0, "Backtrace of pid " + t.owner().pid() + " (" + t.owner().comm() + ")");
    } else if (overwritten.contains("unreadable")) {
      text.add(0, String.format("Backtrace of the current task of cpu %d: its task_struct pointer "
          + m.hexFormat() + " is unreadable (overwritten?)", m.selectedCpu(), t.owner().task()));
    } else {
      text.add(0, String.format("Backtrace of %s: its %s (by a stack overflow?)", pid == null
          ? "the current task of cpu " + m.selectedCpu() : "pid " + pid, overwritten));
    }
    Result r = Result.of(cmd, text);
    if (overwritten == null) {
      r.with("pid", t.owner().pid());
    }
    r.with("frames", json);
    return stopped == null ? r : r.with("stopped", stopped);
  }

  /** stack: a task's own kernel stack, word by word, with what each word is. */
  static Result stack(Machine m, String cmd, TaskStack t) {
    StackRegion s = t.stack();
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    text.add(String.format("Kernel stack of pid %d (%s): 0x%x..0x%x (THREAD_SIZE %d), "
        + "pt_regs at 0x%x", t.owner().pid(), t.owner().comm(), s.low(), s.high(), s.size(),
        t.ptRegs()));
    for (StackWord w : s.words()) {
      text.add(String.format(m.hexFormat() + ": " + m.hexFormat() + "  %-7s %s", w.address(),
          w.value(), w.kind().label(), w.label()));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("address", hex(w.address()));
      o.put("value", hex(w.value()));
      o.put("kind", w.kind().label());
      o.put("label", w.label());
      json.add(o);
    }
    return Result.of(cmd, text).with("pid", t.owner().pid()).with("words", json);
  }

  /** ps: the task list as ps -eLf has it (PID the thread group, LWP the task's own pid). */
  static Result ps(Machine m, String cmd, Snapshot snap) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    String col = "%-" + String.format(m.hexFormat(), 0L).length() + "s";
    text.add(String.format("%5s %5s %5s %3s %2s  " + col + "  " + col + "  %s", "PID", "LWP", "PPID",
        "CPU", "ST", "TASK", "STACK", "COMM"));
    for (int i = 0; i < snap.tasks().size(); i++) {
      TaskInfo t = snap.tasks().get(i);
      boolean running = snap.taskStacks().get(i).owner().cpu() >= 0;
      text.add(String.format("%s%4d %5d %5d %3d %2s  " + m.hexFormat() + "  " + m.hexFormat()
              + "  %s", running ? ">" : " ", t.tgid(), t.pid(), t.ppid(), t.cpu(), t.state(),
          t.task(), t.stack(), t.comm()));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pid", t.pid());
      o.put("tgid", t.tgid());
      o.put("comm", t.comm());
      o.put("state", t.state());
      o.put("cpu", t.cpu());
      o.put("ppid", t.ppid());
      o.put("task", hex(t.task()));
      o.put("stack", hex(t.stack()));
      json.add(o);
    }
    String broken = snap.taskListCorrupt();
    if (broken != null) {
      text.add(broken);
    }
    Result r = Result.of(cmd, text).with("tasks", json);
    return broken == null ? r : r.with("task_list_corrupt", broken);
  }

  static String stackName(StackKind kind) {
    return switch (kind) {
      case IRQ -> "IRQ stack";
      default -> kind.label() + " stack";
    };
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
