package kstack.kernel;

import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * The end of a task (kernel/exit.c) in what the generations share: exit_notify's reparenting and
 * autoreap, the parent's wait queue, the loop of do_wait and its reaping, release_task, and the
 * frames of exit_group. The task's stack is released by the next task's finish_task_switch. Each
 * generation's do_exit and wait4 are its {@link TaskExit} module; exec follows them in the image.
 */
final class Exit {
  enum L implements Local { error_code, exit_code, retval }

  private Exit() {}

  /** The words every generation's kernel/exit.c panics with when init dies. */
  static final String INIT_KILLED = "Attempted to kill init!";
  /** 4.16 and later add the exit code (exit.c@4.16.13:578-579, @6.19:925-926). */
  static final String INIT_KILLED_EXITCODE = INIT_KILLED + " exitcode=0x%08x";
  static final String SRC = "kernel/exit.c";

  /** The profile's exit and wait4, then its exec path (the image's order). */
  static void build(Kernel k) {
    k.profile.module(TaskExit.class).build(k);
    Execve.build(k);
  }

  /** exit_group, linked after the rest so that the routines before it keep their addresses. */
  static void buildExitGroup(Kernel k) {
    k.profile.module(TaskExit.class).buildExitGroup(k);
  }

  /** sys_exit(error_code): do_exit((error_code & 0xff) << 8). */
  static void buildSysExit(Kernel k, String src) {
    k.image.add(Syscalls.entry(k, "exit", src, L.error_code)
        .call("do_exit((error_code & 0xff) << 8)", "do_exit",
            Args.of(x -> (x.get(L.error_code) & 0xff) << 8))
        .retVoid().build());
  }

  /** The step after the last schedule(): a dead task is never picked again. */
  static RoutineBuilder neverAgain(RoutineBuilder b) {
    return b.step("BUG(): a dead task never runs again", x -> {
      throw new IllegalStateException("a dead task was scheduled");
    });
  }

  /**
   * exit_group(2), what the C library's exit() calls (since 2.5.35: 2.4 has none). The system call
   * is do_group_exit((error_code & 0xff) << 8); do_group_exit finds no SIGNAL_GROUP_EXIT and, in a
   * group of one, no other thread for zap_other_threads, and calls do_exit. Every function on the
   * way is __noreturn (do_exit, do_group_exit) or inferred so by gcc (the syscall wrapper), so no
   * frame is ever given up to a sibling call: the whole chain stays on the stack down to the last
   * __schedule. src is kernel/exit.c at the generation, sysLines and groupLines their lines
   * (@2.6.11:903-906,871-901; @2.6.32.67:1094-1098,1063-1091; @4.16.13:977-981,945-975;
   * @6.19:1121-1126,1086-1115).
   */
  static void buildExitGroup(Kernel k, String src, String sysLines, String groupLines) {
    k.image.add(Syscalls.entry(k, "exit_group", src + sysLines, L.error_code)
        .call("do_group_exit((error_code & 0xff) << 8) (NOTREACHED)", "do_group_exit",
            Args.of(x -> (x.get(L.error_code) & 0xff) << 8))
        .retVoid().build());
    k.image.add(k.image.c("do_group_exit", src + groupLines).params(L.exit_code)
        .step("sig = current->signal: no SIGNAL_GROUP_EXIT yet; thread_group_empty(current): no "
            + "other thread to zap_other_threads() (sig->group_exit_code stays unset)", x -> { })
        .call("do_exit(exit_code) (NOTREACHED)", "do_exit", Args.of(x -> x.get(L.exit_code)))
        .retVoid().build());
  }

  /** do_exit's exit_notify step; freesStack as for {@link #releaseTask}. */
  static RoutineBuilder exitNotify(Kernel k, RoutineBuilder b, boolean freesStack) {
    return b.step("exit_notify(): children go to a live thread of the group (find_alive_thread), else "
            + "init; a group leader becomes EXIT_ZOMBIE and, once "
            + "thread_group_empty(), do_notify_parent() -> __wake_up_parent() wakes a parent in "
            + "wait4; a sub-thread (exit_signal -1) is autoreaped: exit_state = EXIT_DEAD, "
            + "release_task(tsk) unhashes it now", x -> notify(k, x, freesStack));
  }

  private static void notify(Kernel k, Exec x, boolean freesStack) {
    long t = k.current(x);
    k.tasks.taskWrite(t, TaskMember.exit_state, Threads.exitZombie(k));
    long init = Threads.aliveThread(k, t); // find_new_reaper: a live thread of the group first
    if (init == 0) {
      init = k.pids.findTask(1);
    }
    int children = k.tasks.off(TaskMember.children);
    int sibling = k.tasks.off(TaskMember.sibling);
    long head = t + children;
    while (!k.listEmpty(head)) {
      long node = k.readPtr(head);
      long child = node - sibling;
      k.listDelInit(node);
      k.tasks.taskWrite(child, TaskMember.real_parent, init);
      k.tasks.taskWrite(child, TaskMember.parent, init);
      k.listAddTail(node, init + children);
    }
    k.timeline.emit(new Event.TaskExited(x.cpu().id(), k.tasks.pid(t), k.tasks.taskRead(t, TaskMember.exit_code) >> 8));
    // exit.c@6.19:736-779, @4.16.13:699-736, @2.6.32.67:810-868 (DEATH_REAP)
    if (!Threads.leader(k, t)) {
      k.tasks.taskWrite(t, TaskMember.exit_state, Threads.exitDead(k));
      long leader = k.tasks.taskRead(t, TaskMember.group_leader);
      releaseTask(k, t, freesStack);
      k.timeline.emit(new Event.ThreadAutoreaped(x.cpu().id(), k.tasks.pid(t), k.tasks.pid(leader)));
      if (k.tasks.isZombie(leader) && Threads.groupEmpty(k, leader)) {
        notifyParent(k, x, leader); // release_task: the last thread wakes the zombie leader's parent
      }
      return;
    }
    if (Threads.groupEmpty(k, t)) {
      notifyParent(k, x, t);
    }
  }

  private static void notifyParent(Kernel k, Exec x, long t) {
    long parent = k.tasks.taskRead(t, TaskMember.real_parent);
    k.rq.wakeAll(waitQueue(k, parent), x.cpu().id(), "exit of pid " + k.tasks.pid(t)
        + " (do_notify_parent -> __wake_up_parent)");
  }

  /** signal->wait_chldexit, keyed by the parent task. */
  static long waitQueue(Kernel k, long task) {
    return task + k.tasks.off(TaskMember.children);
  }

  /**
   * do_wait's loop, the same in every 2.6+ generation with the generation's texts: add the caller
   * to its wait queue; repeat: reap a zombie child (reap gives its pid, 0, or -ECHILD); done, or
   * WNOHANG in options, ends it; otherwise sleep in schedule() and repeat.
   */
  static void buildDoWait(Kernel k, RoutineBuilder d, DoWaitTexts t, ToLongFunction<Exec> reap,
      ToLongFunction<Exec> options) {
    k.image.add(d.locals(L.retval)
        .step(t.enqueue(), x -> k.rq.addWaiter(waitQueue(k, k.current(x)), k.current(x)))
        .label("repeat")
        .step(t.scan(), x -> x.set(L.retval, reap.applyAsLong(x)))
        .branchIf("end", t.done(),
            x -> x.get(L.retval) != 0 || (options.applyAsLong(x) & 1) != 0)
        .step(t.sleep(), x -> {
              long cur = k.current(x);
              k.rq.addWaiter(waitQueue(k, cur), cur);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "wait4 for a child"));
            })
        .call("schedule()", "schedule", Args.inPlace())
        .jump("repeat", "goto repeat")
        .label("end")
        .step(t.end(), x -> {
              long cur = k.current(x);
              k.tasks.setState(cur, Kernel.TASK_RUNNING);
              k.rq.removeWaiter(waitQueue(k, cur), cur);
            })
        .ret("return retval", x -> x.get(L.retval)).build());
  }

  /** do_wait's step texts in one generation. */
  record DoWaitTexts(String enqueue, String scan, String done, String sleep, String end) {}

  /**
   * The child loop of wait4 in every generation (2.6+ do_wait_thread over children, 2.4 sys_wait4
   * over p_cptr/p_osptr): a zombie child matching upid (-1: any) is reaped; returns its pid, 0 to
   * keep waiting, or -ECHILD when no child matches.
   */
  static long reapChild(Kernel k, Exec x, long upid, long stat,
      LongConsumer release) {
    long cur = k.current(x);
    k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
    boolean any = false;
    for (long child : k.tasks.children(cur)) {
      int pid = k.tasks.pid(child);
      if (upid != -1 && upid != pid) {
        continue;
      }
      if (k.tasks.taskRead(child, TaskMember.exit_signal) == -1 || k.tasks.taskRead(child, TaskMember.exit_signal) == 0xffffffffL) {
        continue; // 2.6.32 keeps threads on children: eligible_child wants __WCLONE for them
      }
      any = true;
      if (k.tasks.isZombie(child) && Threads.groupEmpty(k, child)) { // delay_group_leader()
        if (stat != 0) {
          x.write(stat, 4, k.tasks.taskRead(child, TaskMember.exit_code));
        }
        release.accept(child);
        k.tasks.setState(cur, Kernel.TASK_RUNNING);
        return pid;
      }
    }
    if (!any) {
      k.tasks.setState(cur, Kernel.TASK_RUNNING);
      return Syscalls.ECHILD;
    }
    return 0;
  }

  /**
   * release_task(): unhash the pid, unlink from the task list and the parent's children.
   * freesStack: the task's stack goes with its last reference (put_task_struct → free_thread_info:
   * 2.6, whose stack holds the thread_info); later the stack has gone at the last switch.
   */
  static void releaseTask(Kernel k, long p, boolean freesStack) {
    k.tasks.taskWrite(p, TaskMember.exit_state, Threads.exitDead(k));
    k.listDelInit(p + k.tasks.off(TaskMember.tasks));
    k.listDelInit(p + k.tasks.off(TaskMember.sibling));
    Threads.unhash(k, p);
    k.pids.unregisterTask(k.tasks.pid(p));
    k.stacks.unhashed(p);
    if (freesStack) {
      Fork.putTaskStruct(k, p); // release_task → put_task_struct: the stack goes with the task
    }
  }
}
