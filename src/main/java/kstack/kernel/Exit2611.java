package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The end of a task at 2.6.11 (kernel/exit.c@2.6.11:780-857,1314-1510): do_exit stores exit_code
 * only just before exit_notify (exit.c@2.6.11:801,830) and ends with PF_DEAD and schedule() (no
 * TASK_DEAD); sys_wait4 hands do_wait five values, no struct wait_opts; release_task's
 * put_task_struct frees the stack with the task.
 */
public final class Exit2611 implements TaskExit {
  enum L implements Local { code, infop, options, pid, ru, stat_addr }

  static final String SRC = Exit.SRC + "@2.6.11";
  /** include/linux/wait.h@2.6.11:7: sys_wait4 adds it to the caller's options. */
  private static final long WEXITED = 4;

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHED_O1_2611);
  }

  @Override
  public void build(Kernel k) {
    Exit.buildSysExit(k, SRC + ":854-857");
    RoutineBuilder b = k.image.c("do_exit", SRC + ":780-840").params(L.code)
        .step("tsk->flags |= PF_EXITING; del_timer_sync(&tsk->real_timer)", x -> {
          long t = k.current(x);
          k.tasks.taskWrite(t, TaskMember.flags, k.tasks.taskRead(t, TaskMember.flags) | Kernel.PF_EXITING);
        })
        .step("exit_mm(tsk): the task drops its user address space (mm = NULL)",
            x -> k.tasks.taskWrite(k.current(x), TaskMember.mm, 0))
        .step("exit_sem(tsk); __exit_files(tsk): close every descriptor; __exit_fs(tsk); "
            + "exit_namespace(tsk); exit_thread()", x -> k.files.setFds(k.current(x), java.util.Map.of()))
        .step("tsk->exit_code = code", x -> k.tasks.taskWrite(k.current(x), TaskMember.exit_code, x.get(L.code)));
    Exit.exitNotify(k, b, true);
    Sched2611.exitTail(k, b);
    k.image.add(Exit.neverAgain(b).retVoid().build());
    buildWait(k);
  }

  /** sys_wait4 and do_wait (exit.c@2.6.11:1314-1460,1497-1510). */
  private static void buildWait(Kernel k) {
    k.image.add(Syscalls.entry(k, "wait4", SRC + ":1497-1510", L.pid, L.stat_addr, L.options, L.ru)
        .step("if (options & ~(WNOHANG|WUNTRACED|WCONTINUED|__WNOTHREAD|__WCLONE|__WALL)) "
            + "return -EINVAL", x -> { })
        .call("ret = do_wait(pid, options | WEXITED, NULL, stat_addr, ru)", "do_wait",
            Args.of(x -> x.get(L.pid), x -> x.get(L.options) | WEXITED, x -> 0,
                x -> x.get(L.stat_addr), x -> x.get(L.ru)))
        .ret("prevent_tail_call(ret); return ret", Exec::retval).build());
    Exit.buildDoWait(k, k.image.c("do_wait", SRC + ":1314-1460").params(L.pid, L.options, L.infop, L.stat_addr, L.ru), new Exit.DoWaitTexts("DECLARE_WAITQUEUE(wait, current); "
            + "add_wait_queue(&current->signal->wait_chldexit, &wait)",
        "repeat: flag = 0; current->state = TASK_INTERRUPTIBLE; for each child: "
            + "eligible_child(pid, options, p); an EXIT_ZOMBIE one is reaped by "
            + "wait_task_zombie() -> release_task(); any other sets flag",
        "if (retval) goto end (reaped; or !flag: retval = -ECHILD); if (options & WNOHANG) goto end",
        "(flag: a child may still exit) retval = -ERESTARTSYS; no signal is pending",
        "end: current->state = TASK_RUNNING; remove_wait_queue(&current->signal->"
            + "wait_chldexit, &wait)"),
        x -> Exit.reapChild(k, x, x.signed(x.get(L.pid)), x.get(L.stat_addr),
            p -> Exit.releaseTask(k, p, true)), x -> x.get(L.options));
  }

  @Override
  public void buildExitGroup(Kernel k) {
    Exit.buildExitGroup(k, "kernel/exit.c@2.6.11:", "903-906", "871-901");
  }

  /** do_exit (kernel/exit.c@2.6.11:792): no exit code in the words. */
  @Override
  public String initKilledPanic(long exitCode) {
    return Exit.INIT_KILLED;
  }
}
