package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * exit, wait4 and execve: the end of a task (kernel/exit.c, whose stack is released by the next
 * task's finish_task_switch) and the replacement of its user image (fs/exec.c, fs/binfmt_elf.c).
 */
final class Exit {
  enum L implements Local {
      code, error_code, exit_code, infop, options, pid, retval, ru, stat_addr, upid, wo
  }

  private Exit() {}

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    buildExit(k, v6);
    buildWait(k, v6);
    Execve.build(k, v6);
  }

  private static void buildExit(Kernel k, boolean v6) {
    String src = "kernel/exit.c";
    boolean o1 = Sched2611.on(k);
    k.image.add(Syscalls.entry(k, "exit", o1 ? src + "@2.6.11:854-857" : src, L.error_code)
        .call("do_exit((error_code & 0xff) << 8)", "do_exit",
            Args.of(x -> (x.get(L.error_code) & 0xff) << 8))
        .retVoid().build());
    // 2.6.11 stores exit_code only just before exit_notify (exit.c@2.6.11:801,830)
    RoutineBuilder b = k.image.c("do_exit", o1 ? src + "@2.6.11:780-840" : src).params(L.code)
        .step(o1 ? "tsk->flags |= PF_EXITING; del_timer_sync(&tsk->real_timer)"
            : "tsk->flags |= PF_EXITING; tsk->exit_code = code", x -> {
              long t = k.current(x);
              k.tasks.taskWrite(t, "flags", k.tasks.taskRead(t, "flags") | Kernel.PF_EXITING);
              if (!o1) {
                k.tasks.taskWrite(t, "exit_code", x.get(L.code));
              }
            })
        .step(o1 ? "exit_mm(tsk): the task drops its user address space (mm = NULL)"
            : "exit_mm(): the task drops its user address space (mm = NULL)", x -> {
              long t = k.current(x);
              k.tasks.taskWrite(t, "mm", 0);
            })
        .step(o1 ? "exit_sem(tsk); __exit_files(tsk): close every descriptor; __exit_fs(tsk); "
            + "exit_namespace(tsk); exit_thread()" : "exit_files(): close every descriptor",
            x -> k.files.setFds(k.current(x), java.util.Map.of()));
    if (o1) {
      b.step("tsk->exit_code = code", x -> k.tasks.taskWrite(k.current(x), "exit_code", x.get(L.code)));
    }
    b.step("exit_notify(): children go to a live thread of the group (find_alive_thread), else "
            + "init; a group leader becomes EXIT_ZOMBIE and, once "
            + "thread_group_empty(), do_notify_parent() -> __wake_up_parent() wakes a parent in "
            + "wait4; a sub-thread (exit_signal -1) is autoreaped: exit_state = EXIT_DEAD, "
            + "release_task(tsk) unhashes it now", x -> notify(k, x));
    if (v6) {
      b.step("exit_task_stack_account(tsk) (accounting only; the stack is still in use)", x -> { });
    }
    if (o1) {
      Sched2611.exitTail(k, b);
      k.image.add(b.step("BUG(): a dead task never runs again", x -> {
        throw new IllegalStateException("a dead task was scheduled");
      }).retVoid().build());
      return;
    }
    if (k.profile.has(Feature.SCHEDULE_SWITCH_INLINE)) {
      // exit.c@2.6.32:1033-1034: no do_task_dead yet
      k.image.add(b.step("tsk->state = TASK_DEAD", x -> k.tasks.setState(k.current(x), Kernel.TASK_DEAD))
          .call("schedule(): the last switch away; finish_task_switch() in the next task drops "
              + "the task's reference to itself", "schedule", Args.inPlace())
          .step("BUG(): a dead task never runs again", x -> {
            throw new IllegalStateException("a dead task was scheduled");
          })
          .retVoid().build());
      return;
    }
    k.image.add(b.call("do_task_dead()", "do_task_dead", Args.inPlace()).retVoid().build());
    k.image.add(k.image.c("do_task_dead", "kernel/sched/core.c").params()
        .step("set_special_state(TASK_DEAD)", x -> k.tasks.setState(k.current(x), Kernel.TASK_DEAD))
        .call("__schedule(false): the last switch away; finish_task_switch() in the next task "
            + "releases this stack", "__schedule", Args.of(x -> 0))
        .step("BUG(): a dead task never runs again", x -> {
          throw new IllegalStateException("a dead task was scheduled");
        })
        .retVoid().build());
  }

  /**
   * exit_group(2), what the C library's exit() calls (since 2.5.35: 2.4 has none). The system call
   * is do_group_exit((error_code & 0xff) << 8); do_group_exit finds no SIGNAL_GROUP_EXIT and, in a
   * group of one, no other thread for zap_other_threads, and calls do_exit. Every function on the
   * way is __noreturn (do_exit, do_group_exit) or inferred so by gcc (the syscall wrapper), so no
   * frame is ever given up to a sibling call: the whole chain stays on the stack down to the last
   * __schedule. kernel/exit.c@2.6.11:871-906, @2.6.32.67:1063-1098, @4.16.13:945-981,
   * @6.19:1086-1126.
   */
  static void buildExitGroup(Kernel k) {
    String v = k.profile.version();
    String src = "kernel/exit.c@" + switch (v) {
      case "2.6.11" -> "2.6.11:";
      case "2.6.32" -> "2.6.32.67:";
      case "4.16.13" -> "4.16.13:";
      default -> v + ":";
    };
    String[] lines = switch (v) {
      case "2.6.11" -> new String[] {"903-906", "871-901"};
      case "2.6.32" -> new String[] {"1094-1098", "1063-1091"};
      case "4.16.13" -> new String[] {"977-981", "945-975"};
      default -> new String[] {"1121-1126", "1086-1115"};
    };
    k.image.add(Syscalls.entry(k, "exit_group", src + lines[0], L.error_code)
        .call("do_group_exit((error_code & 0xff) << 8) (NOTREACHED)", "do_group_exit",
            Args.of(x -> (x.get(L.error_code) & 0xff) << 8))
        .retVoid().build());
    k.image.add(k.image.c("do_group_exit", src + lines[1]).params(L.exit_code)
        .step("sig = current->signal: no SIGNAL_GROUP_EXIT yet; thread_group_empty(current): no "
            + "other thread to zap_other_threads() (sig->group_exit_code stays unset)", x -> { })
        .call("do_exit(exit_code) (NOTREACHED)", "do_exit", Args.of(x -> x.get(L.exit_code)))
        .retVoid().build());
  }

  private static void notify(Kernel k, Exec x) {
    long t = k.current(x);
    k.tasks.taskWrite(t, "exit_state", Threads.exitZombie(k));
    long init = Threads.aliveThread(k, t); // find_new_reaper: a live thread of the group first
    if (init == 0) {
      init = k.pids.findTask(1);
    }
    int children = k.image.off("task_struct", "children");
    int sibling = k.image.off("task_struct", "sibling");
    long head = t + children;
    while (!k.listEmpty(head)) {
      long node = k.readPtr(head);
      long child = node - sibling;
      k.listDelInit(node);
      k.tasks.taskWrite(child, "real_parent", init);
      k.tasks.taskWrite(child, "parent", init);
      k.listAddTail(node, init + children);
    }
    k.timeline.emit(new Event.TaskExited(x.cpu().id(), k.tasks.pid(t), k.tasks.taskRead(t, "exit_code") >> 8));
    // exit.c@6.19:736-779, @4.16.13:699-736, @2.6.32.67:810-868 (DEATH_REAP)
    if (!Threads.leader(k, t)) {
      k.tasks.taskWrite(t, "exit_state", Threads.exitDead(k));
      long leader = k.tasks.taskRead(t, "group_leader");
      releaseTask(k, t);
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
    long parent = k.tasks.taskRead(t, "real_parent");
    k.rq.wakeAll(waitQueue(k, parent), x.cpu().id(), "exit of pid " + k.tasks.pid(t)
        + " (do_notify_parent -> __wake_up_parent)");
  }

  /** signal->wait_chldexit, keyed by the parent task. */
  static long waitQueue(Kernel k, long task) {
    return task + k.image.off("task_struct", "children");
  }

  private static void buildWait(Kernel k, boolean v6) {
    String src = "kernel/exit.c";
    boolean o1 = Sched2611.on(k);
    if (o1) {
      // 2.6.11: no struct wait_opts; do_wait takes the five values (exit.c@2.6.11:1314,1497-1510)
      k.image.add(Syscalls.entry(k, "wait4", src + "@2.6.11:1497-1510", L.pid, L.stat_addr, L.options,
              L.ru)
          .step("if (options & ~(WNOHANG|WUNTRACED|WCONTINUED|__WNOTHREAD|__WCLONE|__WALL)) "
              + "return -EINVAL", x -> { })
          .call("ret = do_wait(pid, options | WEXITED, NULL, stat_addr, ru)", "do_wait",
              Args.of(x -> x.get(L.pid), x -> x.get(L.options) | WEXITED, x -> 0,
                  x -> x.get(L.stat_addr), x -> x.get(L.ru)))
          .ret("prevent_tail_call(ret); return ret", Exec::retval).build());
    } else {
      RoutineBuilder w = Syscalls.entry(k, "wait4", src, L.upid, L.stat_addr, L.options, L.ru);
      if (!Syscalls.v26(k)) {
        k.image.add(w.call("return kernel_wait4(upid, stat_addr, options, ru ? &r : NULL)",
                "kernel_wait4", Args.of(x -> x.get(L.upid), x -> x.get(L.stat_addr),
                    x -> x.get(L.options), x -> 0))
            .ret("return ret", Exec::retval).build());
        w = k.image.c("kernel_wait4", src).params(L.upid, L.stat_addr, L.options, L.ru);
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
    }
    RoutineBuilder d = o1
        ? k.image.c("do_wait", src + "@2.6.11:1314-1460").params(L.pid, L.options, L.infop, L.stat_addr, L.ru)
        : k.image.c("do_wait", src).params(L.wo);
    k.image.add(d.locals(L.retval)
        .step(o1 ? "DECLARE_WAITQUEUE(wait, current); add_wait_queue(&current->signal->"
                + "wait_chldexit, &wait)"
                : "add_wait_queue(&current->signal->wait_chldexit, &wo->child_wait)",
            x -> k.rq.addWaiter(waitQueue(k, k.current(x)), k.current(x)))
        .label("repeat")
        .step(o1 ? "repeat: flag = 0; current->state = TASK_INTERRUPTIBLE; for each child: "
                + "eligible_child(pid, options, p); an EXIT_ZOMBIE one is reaped by "
                + "wait_task_zombie() -> release_task(); any other sets flag"
                : "set_current_state(TASK_INTERRUPTIBLE); do_wait_thread(): wait_consider_task() "
                + "on each child; a zombie is reaped by wait_task_zombie() -> release_task()",
            x -> x.set(L.retval, reap(k, x, o1)))
        .branchIf("end", o1 ? "if (retval) goto end (reaped; or !flag: retval = -ECHILD); if "
                + "(options & WNOHANG) goto end" : "if (retval != 0 || WNOHANG) goto end",
            x -> x.get(L.retval) != 0 || (waitOptions(x, o1) & 1) != 0)
        .step(o1 ? "(flag: a child may still exit) retval = -ERESTARTSYS; no signal is pending"
            : "(no child is ready yet)", x -> {
              long cur = k.current(x);
              k.rq.addWaiter(waitQueue(k, cur), cur);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "wait4 for a child"));
            })
        .call("schedule()", "schedule", Args.inPlace())
        .jump("repeat", "goto repeat")
        .label("end")
        .step(o1 ? "end: current->state = TASK_RUNNING; remove_wait_queue(&current->signal->"
                + "wait_chldexit, &wait)"
                : "__set_current_state(TASK_RUNNING); remove_wait_queue()", x -> {
              long cur = k.current(x);
              k.tasks.setState(cur, Kernel.TASK_RUNNING);
              k.rq.removeWaiter(waitQueue(k, cur), cur);
            })
        .ret("return retval", x -> x.get(L.retval)).build());
  }

  /** include/linux/wait.h@2.6.11:7: sys_wait4 adds it to the caller's options. */
  private static final long WEXITED = 4;

  /** do_wait's options: 2.6.11's argument, or wo->wo_flags. */
  private static long waitOptions(Exec x, boolean o1) {
    return o1 ? x.get(L.options) : x.read(x.get(L.wo) + x.word());
  }

  /** do_wait_thread's result: a reaped zombie's pid, 0 to keep waiting, or -ECHILD. */
  private static long reap(Kernel k, Exec x, boolean o1) {
    if (o1) {
      return reapChild(k, x, x.signed(x.get(L.pid)), x.get(L.stat_addr),
          p -> releaseTask(k, p));
    }
    long wo = x.get(L.wo);
    return reapChild(k, x, x.signed(x.read(wo)), x.read(wo + 2L * x.word()), p -> releaseTask(k, p));
  }

  /**
   * The child loop of wait4 in every generation (2.6+ do_wait_thread over children, 2.4 sys_wait4
   * over p_cptr/p_osptr): a zombie child matching upid (-1: any) is reaped; returns its pid, 0 to
   * keep waiting, or -ECHILD when no child matches.
   */
  static long reapChild(Kernel k, Exec x, long upid, long stat,
      java.util.function.LongConsumer release) {
    long cur = k.current(x);
    k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
    boolean any = false;
    for (long child : k.tasks.children(cur)) {
      int pid = k.tasks.pid(child);
      if (upid != -1 && upid != pid) {
        continue;
      }
      if (k.tasks.taskRead(child, "exit_signal") == -1 || k.tasks.taskRead(child, "exit_signal") == 0xffffffffL) {
        continue; // 2.6.32 keeps threads on children: eligible_child wants __WCLONE for them
      }
      any = true;
      if (k.tasks.isZombie(child) && Threads.groupEmpty(k, child)) { // delay_group_leader()
        if (stat != 0) {
          x.write(stat, 4, k.tasks.taskRead(child, "exit_code"));
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

  /** release_task(): unhash the pid, unlink from the task list and the parent's children. */
  static void releaseTask(Kernel k, long p) {
    k.tasks.taskWrite(p, "exit_state", Threads.exitDead(k));
    k.listDelInit(p + k.image.off("task_struct", "tasks"));
    k.listDelInit(p + k.image.off("task_struct", "sibling"));
    Threads.unhash(k, p);
    k.pids.unregisterTask(k.tasks.pid(p));
    if (k.profile.has(Feature.THREAD_INFO_AT_BASE)) {
      Fork.putTaskStruct(k, p); // release_task → put_task_struct: the stack goes with the task
    }
  }
}
