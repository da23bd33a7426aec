package kstack.web;

import java.util.Map;
import kstack.stack.CpuState;
import kstack.stack.Snapshot;
import kstack.stack.TaskInfo;
import kstack.web.Requests.Refused;

/**
 * Which stacks the page draws: one task's (a pid the user picked), the selected CPU's current
 * task's (the task the commands act on; the page's default), or every stack. A picked pid with no
 * task at the step shown is not an error: the drawing falls back to the current task's stacks
 * (every stack when the current task cannot be read) and says so in its note, and the pick stays,
 * so scrubbing back to a step where the task lives draws it again.
 *
 * @param pid the picked pid, or null
 * @param all every stack (pid null and all false: the current task)
 */
record Selection(Integer pid, boolean all) {
  static final Selection ALL = new Selection(null, true);
  static final Selection CURRENT = new Selection(null, false);

  /** What a selection draws at one step: the pid (null: every stack), what it is, the fallback. */
  record Drawn(Integer pid, String what, String note) {}

  /** The parameter 'pid': a number, {@code current} or {@code all}; absent: every stack. */
  static Selection of(Map<String, String> q) {
    String v = q.get("pid");
    if (v == null || v.isEmpty() || v.equals("all")) {
      return ALL;
    }
    if (v.equals("current")) {
      return CURRENT;
    }
    if (!v.matches("\\d{1,9}")) {
      throw new Refused(400, "parameter 'pid' must be a pid, current or all, not '"
          + Json.oneLine(v) + "'");
    }
    return new Selection(Integer.valueOf(v), false);
  }

  /** What this selection draws in snap, whose commands act on cpu's current task. */
  Drawn resolve(Snapshot snap, int cpu) {
    if (all) {
      return new Drawn(null, "every stack", "");
    }
    if (pid != null) {
      TaskInfo t = task(snap, pid);
      if (t != null) {
        return new Drawn(pid, name(t), "");
      }
    }
    TaskInfo cur = current(snap, cpu);
    String missing = pid == null ? "" : "no task with pid " + pid + " at step " + snap.step()
        + ": ";
    if (cur == null) {
      return new Drawn(null, "every stack", missing + "cpu" + cpu + "'s current task cannot be "
          + "read at step " + snap.step() + ", so every stack is drawn");
    }
    String what = name(cur) + ", cpu" + cpu + "'s current task";
    return new Drawn(cur.pid(), what, missing.isEmpty() ? "" : missing + "drawing " + what);
  }

  private static String name(TaskInfo t) {
    return "pid " + t.pid() + " (" + t.comm() + ")";
  }

  private static TaskInfo task(Snapshot snap, int pid) {
    return snap.tasks().stream().filter(t -> t.pid() == pid).findFirst().orElse(null);
  }

  /** The task cpu runs (its current task_struct), or null when no listed task is it. */
  private static TaskInfo current(Snapshot snap, int cpu) {
    for (CpuState c : snap.cpus()) {
      if (c.cpu() == cpu) {
        return snap.tasks().stream().filter(t -> t.task() == c.current()).findFirst()
            .orElse(null);
      }
    }
    return null;
  }
}
