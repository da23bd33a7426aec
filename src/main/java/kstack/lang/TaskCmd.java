package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.machine.Machine;
import kstack.stack.TaskInfo;

/**
 * crash's {@code task [PID]}: the task's one-line header (PID, TASK, CPU, COMMAND, as crash's
 * {@code set}/{@code task} print it) and then its task_struct with every modelled member and its
 * value; without PID, the selected CPU's current task.
 */
final class TaskCmd {
  private TaskCmd() {}

  static Result run(Session s, Call c, String cmd) {
    Machine m = s.machine();
    long task = m.current();
    if (!c.args().isEmpty()) {
      long v = c.eval(c.args(), c.argsCol()).asLong();
      if (v < 0 || v > Integer.MAX_VALUE || m.inspector().findTaskByVpid((int) v) == 0) {
        throw c.errorAtArgs("task: no task with pid " + v);
      }
      task = m.inspector().findTaskByVpid((int) v);
    }
    TaskInfo info = null;
    for (TaskInfo t : m.inspector().ps()) {
      if (t.task() == task) {
        info = t;
      }
    }
    if (info == null) {
      throw c.errorAtArgs(String.format("task: 0x%x is not on the task list", task));
    }
    Result r = Inspect.layoutResult(m, cmd, "task_struct", Inspect.layout(m, c, "task_struct"),
        task);
    List<String> text = new ArrayList<>();
    text.add(String.format("PID: %-6d TASK: %x  CPU: %d   COMMAND: \"%s\"", info.pid(), task,
        info.cpu(), info.comm()));
    text.addAll(r.text());
    Result out = Result.of(cmd, text).with("pid", info.pid()).with("comm", info.comm())
        .with("cpu", info.cpu());
    out.json().putAll(r.json());
    return out;
  }
}
