package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.kernel.TaskModel;
import kstack.kernel.ThreadInfoMember;
import kstack.machine.Machine;
import kstack.stack.TaskInfo;

/** {@code bt -v}: the end-of-stack checks of every task, as crash and the kernel's debug code make them. */
final class StackCheck {
  private StackCheck() {}

  /**
   * bt -v, as crash has it: every task's end-of-stack magic (task_stack_end_corrupted) and how much
   * of each stack was ever used (CONFIG_DEBUG_STACK_USAGE's stack_not_used).
   */
  static Result checkStacks(Machine m, String cmd) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    int bad = 0;
    TaskModel taskModel = m.profile().module(TaskModel.class);
    List<TaskInfo> tasks = new ArrayList<>();
    String broken = m.inspector().psUntilCorrupt(tasks);
    for (TaskInfo t : tasks) {
      long stack = t.stack();
      if (stack == 0) {
        continue;
      }
      var k = m.kernel();
      String overwritten = k.stacks.overwritten(t.task());
      if (overwritten != null) {
        text.add(String.format("PID %d (%s): possible stack overflow: its %s", t.pid(), t.comm(),
            overwritten));
        bad++;
        continue;
      }
      if (taskModel.stackMember() == null) { // 2.4's task_union: the task_struct is the base
        bad += checkTaskUnion(k, t, text, json);
        continue;
      }
      long end = k.stacks.endOfStack(t.task());
      long magic = k.readPtr(end);
      // 2.6.11 has no magic: its stack runs straight into thread_info, which is the whole check
      boolean hasMagic = k.stacks.hasStackEndMagic();
      boolean ok = !hasMagic || magic == kstack.kernel.Kernel.STACK_END_MAGIC;
      boolean notYet = k.stacks.stackEndMagicNotYetWritten(t.task());
      long magicWord = hasMagic ? k.t.word : 0;
      long unused = k.stacks.stackNotUsed(t.task());
      // 2.6: thread_info sits below the stack's last usable word; an overflow reaches it first
      boolean tiAtBase = taskModel.threadInfoAtBase();
      long tiTask = tiAtBase ? k.tasks.tiRead(t.task(), ThreadInfoMember.task) : t.task();
      boolean tiOk = tiTask == t.task();
      String line = String.format("PID %d (%s): %s%s; %d bytes never used (high-water mark %d of %d)",
          t.pid(), t.comm(), !hasMagic ? (tiOk ? "thread_info at the stack base intact (no "
              + "STACK_END_MAGIC in this generation)" : "possible stack overflow")
              : notYet ? (k.stacks.initSetsStackEndMagic() ? "STACK_END_MAGIC not written yet "
              + "(start_kernel's set_task_stack_end_magic(&init_task) has not run)"
              : "STACK_END_MAGIC never written for init_task in this generation (only "
              + "dup_task_struct writes it)") : ok ? "STACK_END_MAGIC intact" : String.format(
              "possible stack overflow: STACK_END_MAGIC overwritten (0x%x)", magic),
          tiOk ? "" : String.format("; thread_info overwritten: thread_info->task = 0x%x, not the "
              + "task 0x%x", tiTask, t.task()), unused,
          stack + k.threadSize - end - magicWord - unused, stack + k.threadSize - end - magicWord);
      text.add(line);
      if (!ok && !notYet || !tiOk) {
        bad++;
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pid", t.pid());
      if (notYet) {
        o.put("magic_written", false);
      } else if (hasMagic) {
        o.put("magic_ok", ok);
      }
      if (tiAtBase) {
        o.put("thread_info_ok", tiOk);
      }
      o.put("unused", unused);
      json.add(o);
    }
    if (broken != null) {
      text.add(broken + "; the tasks after it are not checked.");
    }
    String cur = m.kernel().stacks.overwritten(m.current());
    if (cur != null) {
      bad++;
      text.add("The current task of cpu " + m.selectedCpu() + ": its " + cur
          + " (a stack overflow ran off the bottom of a stack and over it?)");
    }
    text.add(bad == 0 && broken == null ? "No stack overflow found."
        : bad == 0 ? "No overflowed stack among the tasks checked; the broken task list suggests "
            + "an overflow that overwrote a task_struct." : bad + " stack(s) overflowed.");
    Result r = Result.of(cmd, text).with("stacks", json);
    return broken == null ? r : r.with("task_list_corrupt", broken);
  }

  /**
   * bt -v on 2.4: no magic word separates the stack from the task_struct below it, so the check is
   * the task_struct's own consistency (Kernel.taskUnionDamage). Returns 1 if it is damaged.
   */
  private static int checkTaskUnion(kstack.kernel.Kernel k, TaskInfo t, List<String> text,
      List<Object> json) {
    List<String> damage = k.stacks.taskUnionDamage(t.task());
    long unused = k.stacks.stackNotUsed(t.task());
    long usable = t.stack() + k.threadSize - k.stacks.endOfStack(t.task());
    text.add(String.format("PID %d (%s): %s; %d bytes never used (high-water mark %d of %d above "
            + "the %d-byte task_struct)", t.pid(), t.comm(), damage.isEmpty()
            ? "task_struct at the stack base intact"
            : "possible stack overflow: the task_struct at the stack base is overwritten: "
                + String.join("; ", damage), unused, usable - unused, usable,
        k.image.struct("task_struct").size()));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("pid", t.pid());
    o.put("task_struct_ok", damage.isEmpty());
    o.put("unused", unused);
    json.add(o);
    return damage.isEmpty() ? 0 : 1;
  }
}
