package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * The end of a task from 2.6.32 on (kernel/exit.c@2.6.32.67, @4.16.13, @6.19): do_exit stores the
 * exit code first, drops the mm and the files, runs exit_notify and ends in the generation's last
 * schedule; sys_wait4 fills a struct wait_opts for do_wait (through kernel_wait4 from 4.13).
 */
abstract class ExitWaitOpts implements TaskExit {
  enum L implements Local { code, options, ru, stat_addr, upid, wo }

  static final String SRC = Exit.SRC;

  /** Whether sys_wait4 calls kernel_wait4 (4.13+) rather than filling wait_opts itself. */
  private final boolean kernelWait4;
  /** Whether release_task frees the stack with the task (2.6: the stack holds thread_info). */
  private final boolean freesStack;
  /** exit_group's source: kernel/exit.c at the generation, and the lines of its two functions. */
  private final String groupSource;
  private final String sysLines;
  private final String groupLines;

  ExitWaitOpts(boolean kernelWait4, boolean freesStack, String groupSource, String sysLines,
      String groupLines) {
    this.kernelWait4 = kernelWait4;
    this.freesStack = freesStack;
    this.groupSource = groupSource;
    this.sysLines = sysLines;
    this.groupLines = groupLines;
  }

  /** do_exit after exit_notify: the generation's last switch away, and the routine's end. */
  abstract void buildDeadTail(Kernel k, RoutineBuilder b);

  @Override
  public void build(Kernel k) {
    Exit.buildSysExit(k, SRC);
    RoutineBuilder b = k.image.c("do_exit", SRC).params(L.code)
        .step("tsk->flags |= PF_EXITING; tsk->exit_code = code", x -> {
          long t = k.current(x);
          k.tasks.taskWrite(t, TaskMember.flags, k.tasks.taskRead(t, TaskMember.flags) | Kernel.PF_EXITING);
          k.tasks.taskWrite(t, TaskMember.exit_code, x.get(L.code));
        })
        .step("exit_mm(): the task drops its user address space (mm = NULL)",
            x -> k.tasks.taskWrite(k.current(x), TaskMember.mm, 0))
        .step("exit_files(): close every descriptor", x -> k.files.setFds(k.current(x), java.util.Map.of()));
    buildDeadTail(k, Exit.exitNotify(k, b, freesStack));
    buildWait(k);
  }

  /** do_task_dead (kernel/sched/core.c, 4.11+): TASK_DEAD and the last __schedule. */
  static void buildDoTaskDead(Kernel k, RoutineBuilder b) {
    k.image.add(b.call("do_task_dead()", "do_task_dead", Args.inPlace()).retVoid().build());
    k.image.add(Exit.neverAgain(k.image.c("do_task_dead", "kernel/sched/core.c").params()
        .step("set_special_state(TASK_DEAD)", x -> k.tasks.setState(k.current(x), Kernel.TASK_DEAD))
        .call("__schedule(false): the last switch away; finish_task_switch() in the next task "
            + "releases this stack", "__schedule", Args.of(x -> 0)))
        .retVoid().build());
  }

  private void buildWait(Kernel k) {
    RoutineBuilder w = Syscalls.entry(k, "wait4", SRC, L.upid, L.stat_addr, L.options, L.ru);
    if (kernelWait4) {
      k.image.add(w.call("return kernel_wait4(upid, stat_addr, options, ru ? &r : NULL)",
              "kernel_wait4", Args.of(x -> x.get(L.upid), x -> x.get(L.stat_addr),
                  x -> x.get(L.options), x -> 0))
          .ret("return ret", Exec::retval).build());
      w = k.image.c("kernel_wait4", SRC).params(L.upid, L.stat_addr, L.options, L.ru);
    }
    k.image.add(w
        .localArea(L.wo, 64)
        .step("struct wait_opts wo = { .wo_type = upid == -1 ? PIDTYPE_MAX : PIDTYPE_PID, "
            + ".wo_pid = upid, .wo_flags = options | WEXITED, .wo_stat = stat_addr }", x -> {
              long wo = x.addr(L.wo);
              x.write(wo, x.get(L.upid));
              x.write(wo + x.word(), x.get(L.options));
              x.write(wo + 2L * x.word(), x.get(L.stat_addr));
            })
        .call("ret = do_wait(&wo)", "do_wait", Args.of(x -> x.addr(L.wo)))
        .ret("return ret", Exec::retval).build());
    Exit.buildDoWait(k, k.image.c("do_wait", SRC).params(L.wo), new Exit.DoWaitTexts(
        "add_wait_queue(&current->signal->wait_chldexit, &wo->child_wait)",
        "set_current_state(TASK_INTERRUPTIBLE); do_wait_thread(): wait_consider_task() "
            + "on each child; a zombie is reaped by wait_task_zombie() -> release_task()",
        "if (retval != 0 || WNOHANG) goto end", "(no child is ready yet)",
        "__set_current_state(TASK_RUNNING); remove_wait_queue()"), x -> {
          long wo = x.get(L.wo);
          return Exit.reapChild(k, x, x.signed(x.read(wo)), x.read(wo + 2L * x.word()),
              p -> Exit.releaseTask(k, p, freesStack));
        }, x -> x.read(x.get(L.wo) + x.word()));
  }

  @Override
  public void buildExitGroup(Kernel k) {
    Exit.buildExitGroup(k, groupSource, sysLines, groupLines);
  }
}
