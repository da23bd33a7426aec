package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The end of a task at 2.4.22 (kernel/exit.c; docs/research/i386-and-2.x.md §1.7): do_exit makes a
 * TASK_ZOMBIE that keeps its task_union until the parent's sys_wait4 reaps it with release_task.
 */
public final class Exit24 implements TaskExit {
  enum L implements Local { code, error_code, options, pid, retval, ru, stat_addr }


  static final String EXIT = "kernel/exit.c";
  static final int TASK_ZOMBIE = 4;

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  /** sys_exit, do_exit, exit_notify and sys_wait4, in the image's order. */
  @Override
  public void build(Kernel k) {
    buildExit(k);
    buildWait(k);
  }

  /** exit_group came in 2.5.35: 2.4 has none. */
  @Override
  public void buildExitGroup(Kernel k) {
  }

  /** REMOVE_LINKS (include/linux/sched.h@2.4.22:857-868). */
  static void unlinkTask(Kernel k, long p) {
    long next = k.tasks.taskRead(p, TaskMember.next_task);
    long prev = k.tasks.taskRead(p, TaskMember.prev_task);
    k.tasks.taskWrite(next, TaskMember.prev_task, prev);
    k.tasks.taskWrite(prev, TaskMember.next_task, next);
    long os = k.tasks.taskRead(p, TaskMember.p_osptr);
    long ys = k.tasks.taskRead(p, TaskMember.p_ysptr);
    if (os != 0) {
      k.tasks.taskWrite(os, TaskMember.p_ysptr, ys);
    }
    if (ys != 0) {
      k.tasks.taskWrite(ys, TaskMember.p_osptr, os);
    } else {
      k.tasks.taskWrite(k.tasks.taskRead(p, TaskMember.p_pptr), TaskMember.p_cptr, os);
    }
  }

  /** sys_exit, do_exit and exit_notify (exit.c@2.4.22:331-490). */
  private static void buildExit(Kernel k) {
    k.image.add(Syscalls.entry(k, "exit", EXIT, L.error_code)
        .call("do_exit((error_code & 0xff) << 8)", "do_exit",
            Args.of(x -> (x.get(L.error_code) & 0xff) << 8))
        .retVoid().build());
    k.image.add(k.image.c("do_exit", EXIT).params(L.code)
        .step("tsk->flags |= PF_EXITING; del_timer_sync(&tsk->real_timer)", x -> {
          long t = k.current(x);
          k.tasks.taskWrite(t, TaskMember.flags, k.tasks.taskRead(t, TaskMember.flags) | Kernel.PF_EXITING);
        })
        .step("__exit_mm(tsk): mm = NULL (a kernel thread now); sem_exit(); __exit_files(tsk); "
            + "__exit_fs(tsk); exit_sighand(tsk); exit_thread()", x -> {
              long t = k.current(x);
              k.tasks.taskWrite(t, TaskMember.mm, 0);
              k.files.setFds(t, java.util.Map.of());
            })
        .step("tsk->exit_code = code", x -> k.tasks.taskWrite(k.current(x), TaskMember.exit_code, x.get(L.code)))
        .call("exit_notify()", "exit_notify", Args.inPlace())
        .call("schedule(): never to return; the parent's wait4 frees the task_union",
            "schedule", Args.inPlace())
        .step("BUG(): a zombie is never scheduled", x -> {
          throw new IllegalStateException("a zombie was scheduled");
        })
        .retVoid().build());
    // exit.c@2.4.22:330-405: the original parent of each child becomes child_reaper first; the
    // zombie is made and its parent told; only then do the children move over, by their
    // p_*ptr links alone (the next_task/prev_task list stays as it is)
    k.image.add(k.image.c("exit_notify", EXIT).params()
        .step("forget_original_parent(current): each child's p_opptr = child_reaper (init)", x -> {
          long reaper = k.pids.findTask(1);
          for (long c : k.tasks.children(k.current(x))) {
            k.tasks.taskWrite(c, TaskMember.p_opptr, reaper);
          }
        })
        .step("write_lock_irq(&tasklist_lock); current->state = TASK_ZOMBIE (exit.c@2.4.22:389)",
            x -> k.tasks.setState(k.current(x), TASK_ZOMBIE))
        .step("do_notify_parent(current, current->exit_signal) -> wake_up_parent(p_pptr): "
            + "wake_up_interruptible(&p_pptr->wait_chldexit)", x -> {
              long t = k.current(x);
              long parent = k.tasks.taskRead(t, TaskMember.p_pptr);
              k.timeline.emit(new Event.TaskExited(x.cpu().id(), k.tasks.pid(t),
                  k.tasks.taskRead(t, TaskMember.exit_code) >> 8));
              k.rq.wakeAll(waitQueue(k, parent), x.cpu().id(), "exit of pid " + k.tasks.pid(t)
                  + " (do_notify_parent -> wake_up_parent)");
            })
        .step("while (current->p_cptr): p = current->p_cptr; current->p_cptr = p->p_osptr; "
            + "p->p_pptr = p->p_opptr; link p as its youngest child; if (p->state == TASK_ZOMBIE) "
            + "do_notify_parent(p, p->exit_signal)", x -> reparentChildren(k, x))
        .retVoid().build());
  }

  private static void reparentChildren(Kernel k, Exec x) {
    long t = k.current(x);
    for (long p = k.tasks.taskRead(t, TaskMember.p_cptr); p != 0; p = k.tasks.taskRead(t, TaskMember.p_cptr)) {
      k.tasks.taskWrite(t, TaskMember.p_cptr, k.tasks.taskRead(p, TaskMember.p_osptr));
      k.tasks.taskWrite(p, TaskMember.p_ysptr, 0);
      long parent = k.tasks.taskRead(p, TaskMember.p_opptr);
      k.tasks.taskWrite(p, TaskMember.p_pptr, parent);
      long older = k.tasks.taskRead(parent, TaskMember.p_cptr);
      k.tasks.taskWrite(p, TaskMember.p_osptr, older);
      if (older != 0) {
        k.tasks.taskWrite(older, TaskMember.p_ysptr, p);
      }
      k.tasks.taskWrite(parent, TaskMember.p_cptr, p);
      if (k.tasks.state(p) == TASK_ZOMBIE) {
        k.rq.wakeAll(waitQueue(k, parent), x.cpu().id(), "the orphaned zombie pid " + k.tasks.pid(p)
            + " (do_notify_parent)");
      }
    }
  }

  /** A task's wait_chldexit queue. */
  static long waitQueue(Kernel k, long task) {
    return task + k.tasks.off(TaskMember.wait_chldexit);
  }

  /** sys_wait4 (exit.c@2.4.22:492-588) and release_task (:29-75). */
  private static void buildWait(Kernel k) {
    RoutineBuilder w = Syscalls.entry(k, "wait4", EXIT, L.pid, L.stat_addr, L.options, L.ru)
        .locals(L.retval)
        .step("DECLARE_WAITQUEUE(wait, current); add_wait_queue(&current->wait_chldexit, &wait)",
            x -> k.rq.addWaiter(waitQueue(k, k.current(x)), k.current(x)))
        .label("repeat")
        .step("current->state = TASK_INTERRUPTIBLE; for (p = current->p_cptr; p; p = p->p_osptr): "
            + "a TASK_ZOMBIE child is reaped: put_user(p->exit_code, stat_addr); release_task(p)",
            x -> x.set(L.retval, reap(k, x)))
        .branchIf("end", "if (retval) goto end_wait4; if (options & WNOHANG) goto end_wait4",
            x -> x.get(L.retval) != 0 || (x.get(L.options) & 1) != 0)
        .step("(children, none ready yet)", x -> {
          long cur = k.current(x);
          k.rq.addWaiter(waitQueue(k, cur), cur);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "wait4 for a child"));
        })
        .call("schedule()", "schedule", Args.inPlace())
        .jump("repeat", "goto repeat")
        .label("end")
        .step("end_wait4: current->state = TASK_RUNNING; remove_wait_queue(&current->wait_chldexit)",
            x -> {
              long cur = k.current(x);
              k.tasks.setState(cur, Kernel.TASK_RUNNING);
              k.rq.removeWaiter(waitQueue(k, cur), cur);
            })
        .ret("return retval", x -> x.get(L.retval));
    k.image.add(w.build());
  }

  private static long reap(Kernel k, Exec x) {
    return Exit.reapChild(k, x, x.signed(x.get(L.pid)), x.get(L.stat_addr),
        p -> releaseTask(k, p));
  }

  /** release_task: unhash_process (REMOVE_LINKS, unhash_pid), then free_task_struct(p). */
  static void releaseTask(Kernel k, long p) {
    unlinkTask(k, p);
    k.pids.unregisterTask(k.tasks.pid(p));
    k.stacks.unhashed(p);
    kstack.mem.Region r = k.mem.regionAt(p);
    if (r != null) {
      k.mem.unmap(r);
      k.timeline.recordChange(() -> k.mem.map(r), () -> k.mem.unmap(r));
    }
  }

  /** do_exit (kernel/exit.c@2.4.22:434): no exit code in the words. */
  @Override
  public String initKilledPanic(long exitCode) {
    return Exit.INIT_KILLED;
  }
}
