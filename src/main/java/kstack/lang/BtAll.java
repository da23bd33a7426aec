package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.machine.Machine;
import kstack.stack.TaskStack;

/**
 * crash's {@code bt -a}: the backtrace of the task current on each CPU, CPU by CPU, each as
 * {@code bt PID} renders it under a {@code CPU N:} line.
 */
final class BtAll {
  private BtAll() {}

  static Result run(Machine m, String cmd) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    List<TaskStack> stacks = m.inspector().snapshot().taskStacks();
    for (int c = 0; c < m.cpuCount(); c++) {
      for (TaskStack t : stacks) {
        if (t.owner().cpu() == c) {
          Result one = StackViews.bt(m, cmd, t.owner().pid(), m.inspector().taskStack(
              t.owner().pid(), false));
          text.add("CPU " + c + ":");
          text.addAll(one.text());
          one.json().put("cpu", c);
          json.add(one.json());
        }
      }
    }
    return Result.of(cmd, text).with("cpus", json);
  }
}
