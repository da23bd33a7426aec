package kstack.arch;

import kstack.stack.StackKind;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.stack.Frame;

/**
 * The context-switch window, which every unwinder meets: between the switch code's load of next's
 * stack pointer and the moment next becomes current, the stack pointer is on next's stack while
 * `current` still names prev: x86 __switch_to_asm loads next's rsp (entry_64.S@4.16.13:351-352)
 * and jumps to __switch_to, which writes current_task only later (process_64.c@4.16.13:463,
 * @6.19:670); 2.6's switch_to is inline in schedule() and calls or jumps to __switch_to the same
 * way; arm64 cpu_switch_to does `mov sp, x9` one instruction before `msr sp_el0, x1`
 * (entry.S@4.16.13:1145-1146, @6.19:843-844). On 2.4 and 2.6.11 current is esp & ~8191, so there
 * it changes with esp, while the frame pointer still points into prev's stack. What is on next's stack
 * then is the switch frame next left when it was switched out (or copy_thread forged), still at its
 * thread.sp: that is where the unwinder reads next's frames from.
 */
public final class SwitchWindow {
  private SwitchWindow() {}

  /**
   * The code that runs in the window on x86: __switch_to_asm and __switch_to (4.16, 6.19), or
   * schedule() with switch_to inline and the __switch_to it enters (2.4, 2.6).
   */
  public static final Set<String> X86_SWITCH_CODE = Set.of("__switch_to_asm", "__switch_to",
      "schedule", "__schedule");

  /**
   * If the CPU of `current` is in the window (pc in the switch code; sp on another task's stack
   * than current, or its frame pointer on another task's stack than sp, or pc in __switch_to,
   * which returns straight into next's switch frame), appends the frame at pc and then next's
   * frames as switchedOut reads them from its thread.sp, and returns true.
   */
  public static boolean frames(Kernel k, long current, long pc, long sp, long fp, String spName,
      List<Frame> out, LongFunction<List<Frame>> switchedOut) {
    String fn = k.symbols.functionName(pc);
    long on = stackOwner(k, sp);
    if (on == 0 || !X86_SWITCH_CODE.contains(fn)) {
      return false;
    }
    long fpOn = stackOwner(k, fp);
    if (on == current && !fn.equals("__switch_to") && (fpOn == 0 || fpOn == on)) {
      return false;
    }
    out.add(new Frame(fn, pc, k.symbols.functionOffset(pc), StackKind.TASK, 0,
        note(k, spName, on, current)));
    List<Frame> next = switchedOut.apply(on);
    for (int i = 0; i < next.size(); i++) {
      Frame f = next.get(i);
      out.add(i > 0 ? f : new Frame(f.function(), f.address(), f.offset(), f.stack(),
          f.frameAddr(), "next's switch frame" + (f.frameAddr() != 0
              ? String.format(" at thread.sp 0x%x", f.frameAddr()) : "") + ": where the switch "
              + "returns", f.stackName()));
    }
    return true;
  }

  /**
   * Whether a child's frames end at ret_from_fork (ret_from_fork_asm, 4.16 i386's
   * schedule_tail_wrapper) with no pt_regs after them: copy_thread put the child's pt_regs right
   * above, where ret_from_fork's own frame ends (its frame pointer is 0, or it calls with the stack
   * pointer at them), so the user part follows there, as a few steps later.
   */
  public static boolean endsAtRetFromFork(List<Frame> out) {
    if (out.isEmpty() || out.stream().anyMatch(f -> f.function().startsWith("---"))) {
      return false;
    }
    String last = out.get(out.size() - 1).function();
    return last.equals("ret_from_fork") || last.equals("ret_from_fork_asm")
        || last.equals("schedule_tail_wrapper");
  }

  /**
   * For the `stack` listing: whether a task current on cpu is to be read as running. In the
   * window, prev is still current while the stack pointer is on next's stack; prev has already
   * saved its switch frame at thread.sp, so its stack reads as a switched-out one's.
   */
  public static boolean runsOnItsStack(Kernel k, long task, boolean running, int cpu) {
    if (!running) {
      return false;
    }
    String fn = k.symbols.functionName(k.cpu(cpu).pc());
    if (!X86_SWITCH_CODE.contains(fn) && !fn.equals("cpu_switch_to")) {
      return true; // (an overflow past the base is not the window)
    }
    long on = stackOwner(k, k.cpu(cpu).get(k.arch.registers().sp));
    return on == 0 || on == task;
  }

  /**
   * The task whose kernel stack [base, base + THREAD_SIZE) holds a, or 0 when none does: a hashed
   * task, looked up by the stack's base (TaskStacks#hashedOwner), or an idle task.
   */
  public static long stackOwner(Kernel k, long a) {
    long t = k.stacks.hashedOwner(a);
    if (t != 0) {
      return t;
    }
    for (int c = 0; c < k.cpus; c++) {
      long idle = k.rq.idleTask(c);
      if (idle != 0 && holds(k, idle, a)) {
        return idle;
      }
    }
    return 0;
  }

  private static boolean holds(Kernel k, long task, long a) {
    long s = k.stacks.stack(task);
    return s != 0 && Long.compareUnsigned(a - s, k.threadSize) < 0;
  }

  /** What the first frame of a backtrace in the window says about the two tasks. */
  public static String note(Kernel k, String sp, long on, long current) {
    String who = String.format("pid %d (%s)", k.tasks.pid(on), k.tasks.comm(on));
    return on == current
        ? String.format("%s is on %s's stack, which this switch resumes from its switch frame at "
            + "thread.sp", sp, who)
        : String.format("%s is on the stack of %s, which this switch resumes; current is still pid "
            + "%d (%s)", sp, who, k.tasks.pid(current), k.tasks.comm(current));
  }

  /**
   * How many words an assembly routine has pushed above its return address when it is at step i:
   * its pushes less its pops so far, as objtool computes an ORC entry's sp offset from the push and
   * pop instructions. Across __switch_to_asm's stack switch the count goes on unchanged, since
   * next's stack holds the same frame the same routine pushed when next was switched out.
   */
  public static int pushedWords(Routine r, int i) {
    int n = 0;
    for (int j = 0; j < i; j++) {
      String t = r.insn(j).text();
      if (t.startsWith("push")) {
        n++;
      } else if (t.startsWith("pop")) {
        n--;
      }
    }
    return n;
  }
}
