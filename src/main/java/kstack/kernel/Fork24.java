package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * Process creation and death at 2.4.22 (kernel/fork.c, kernel/exit.c; docs/research/i386-and-2.x.md
 * §1.5-1.7): do_fork takes the whole 8 KiB task_union with alloc_task_struct, copies the parent's
 * task_struct into its base, links it with SET_LINKS (next_task/prev_task and the p_pptr/p_cptr/
 * p_ysptr/p_osptr family tree) and wakes it; do_exit makes a TASK_ZOMBIE that keeps its union
 * until the parent's sys_wait4 reaps it with release_task.
 */
final class Fork24 {
  enum L implements Local {
      arg, clone_flags, code, error_code, flags, fn, options, p, pid, regs, retval, ru, stack_size,
      stack_start, stat_addr
  }

  private Fork24() {}

  static final String FORK = "kernel/fork.c";
  static final String EXIT = "kernel/exit.c";
  static final int TASK_ZOMBIE = 4;
  static final long CSIGNAL = 0xff;

  static void build(Kernel k) {
    k.image.add(k.image.c("do_fork", FORK).params(L.clone_flags, L.stack_start, L.regs, L.stack_size)
        .locals(L.p)
        .step("p = alloc_task_struct(): __get_free_pages(GFP_KERNEL, 1), the whole 8 KiB "
            + "task_union, aligned to its size", x -> x.set(L.p,
                k.pages.allocPagesAligned(k.threadSize, "task_union")))
        .step("*p = *current: the task_struct only, not the stack above it", x ->
            k.mem.copy(x.get(L.p), k.current(x), k.image.struct("task_struct").size()))
        .step("p->state = TASK_UNINTERRUPTIBLE; copy_flags(); p->pid = get_pid(clone_flags); "
            + "p->run_list.next = NULL; p->p_cptr = NULL; init_waitqueue_head(&p->wait_chldexit); "
            + "p->processor = current->processor", x -> initChild(k, x, x.get(L.p)))
        .step("copy_files(); copy_fs(); copy_sighand(); copy_mm(): CLONE_VM shares current's mm",
            x -> Fork.copyMmAndFilesOf(k, x, x.get(L.p), x.get(L.clone_flags)))
        .call("copy_thread(0, clone_flags, stack_start, stack_size, p, regs)", "copy_thread",
            Args.of(x -> 0, x -> x.get(L.clone_flags), x -> x.get(L.stack_start),
                x -> x.get(L.stack_size), x -> x.get(L.p), x -> x.get(L.regs)))
        .step("p->exit_signal = clone_flags & CSIGNAL; p->counter = (current->counter + 1) >> 1; "
            + "current->counter >>= 1; if (!current->counter) current->need_resched = 1 "
            + "(fork.c@2.4.22:770-775)", x -> {
              long p = x.get(L.p);
              long cur = k.current(x);
              k.tasks.taskWrite(p, "exit_signal", x.get(L.clone_flags) & CSIGNAL);
              long c = k.tasks.taskRead(cur, "counter");
              k.tasks.taskWrite(p, "counter", (c + 1) >> 1);
              k.tasks.taskWrite(cur, "counter", c >> 1);
              if ((c >> 1) == 0) {
                k.rq.setNeedResched(cur, true);
              }
            })
        .step("p->p_opptr = p->p_pptr = current; SET_LINKS(p); hash_pid(p); nr_threads++",
            x -> setLinks(k, x, x.get(L.p)))
        .call("wake_up_process(p): do this last", "wake_up_process", Args.of(x -> x.get(L.p)))
        .ret("return p->pid", x -> k.tasks.pid(x.get(L.p))).build());
    k.image.add(k.image.c("kernel_thread", FORK).params(L.fn, L.arg, L.flags)
        .step("task_lock(current); refuse if ptraced; old = current->task_dumpable; "
            + "current->task_dumpable = 0", x -> { })
        .call("ret = arch_kernel_thread(fn, arg, flags)", "arch_kernel_thread",
            Args.of(x -> x.get(L.fn), x -> x.get(L.arg), x -> x.get(L.flags)))
        .ret("current->task_dumpable = old (only the parent gets here); return ret",
            Exec::retval).build());
    buildExit(k);
    buildWait(k);
  }

  private static void initChild(Kernel k, Exec x, long p) {
    k.tasks.setState(p, Kernel.TASK_UNINTERRUPTIBLE);
    int pid = k.pids.allocPid();
    k.tasks.taskWrite(p, "pid", pid);
    k.tasks.taskWrite(p, "tgid", pid);
    k.writePtr(p + k.image.off("task_struct", "run_list"), 0);
    k.writePtr(p + k.image.off("task_struct", "run_list") + k.t.word, 0);
    k.tasks.taskWrite(p, "p_cptr", 0);
    k.tasks.taskWrite(p, "need_resched", 0);
    k.tasks.taskWrite(p, "exit_code", 0);
    k.listInit(p + k.image.offPath("task_struct", "wait_chldexit.task_list"));
    k.tasks.setTaskCpu(p, x.cpu().id());
    k.pages.relabelStack(p, "task_union of pid " + pid);
  }

  /** SET_LINKS (include/linux/sched.h@2.4.22:870-879) and hash_pid. */
  static void setLinks(Kernel k, Exec x, long p) {
    long cur = k.current(x);
    k.tasks.taskWrite(p, "p_opptr", cur);
    k.tasks.taskWrite(p, "p_pptr", cur);
    linkTask(k, p);
    k.pids.registerTask(k.tasks.pid(p), p);
    k.timeline.emit(new Event.TaskCreated(x.cpu().id(), k.tasks.pid(p), k.tasks.comm(p), k.tasks.pid(cur), p, p));
  }

  /** The list half of SET_LINKS: at the tail of init_task's list, the youngest of p_pptr's. */
  static void linkTask(Kernel k, long p) {
    long init = k.image.symbol("init_task");
    long last = k.tasks.taskRead(init, "prev_task");
    k.tasks.taskWrite(p, "next_task", init);
    k.tasks.taskWrite(p, "prev_task", last);
    k.tasks.taskWrite(last, "next_task", p);
    k.tasks.taskWrite(init, "prev_task", p);
    long parent = k.tasks.taskRead(p, "p_pptr");
    long older = k.tasks.taskRead(parent, "p_cptr");
    k.tasks.taskWrite(p, "p_ysptr", 0);
    k.tasks.taskWrite(p, "p_osptr", older);
    if (older != 0) {
      k.tasks.taskWrite(older, "p_ysptr", p);
    }
    k.tasks.taskWrite(parent, "p_cptr", p);
  }

  /** REMOVE_LINKS (include/linux/sched.h@2.4.22:857-868). */
  static void unlinkTask(Kernel k, long p) {
    long next = k.tasks.taskRead(p, "next_task");
    long prev = k.tasks.taskRead(p, "prev_task");
    k.tasks.taskWrite(next, "prev_task", prev);
    k.tasks.taskWrite(prev, "next_task", next);
    long os = k.tasks.taskRead(p, "p_osptr");
    long ys = k.tasks.taskRead(p, "p_ysptr");
    if (os != 0) {
      k.tasks.taskWrite(os, "p_ysptr", ys);
    }
    if (ys != 0) {
      k.tasks.taskWrite(ys, "p_osptr", os);
    } else {
      k.tasks.taskWrite(k.tasks.taskRead(p, "p_pptr"), "p_cptr", os);
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
          k.tasks.taskWrite(t, "flags", k.tasks.taskRead(t, "flags") | Kernel.PF_EXITING);
        })
        .step("__exit_mm(tsk): mm = NULL (a kernel thread now); sem_exit(); __exit_files(tsk); "
            + "__exit_fs(tsk); exit_sighand(tsk); exit_thread()", x -> {
              long t = k.current(x);
              k.tasks.taskWrite(t, "mm", 0);
              k.files.setFds(t, java.util.Map.of());
            })
        .step("tsk->exit_code = code", x -> k.tasks.taskWrite(k.current(x), "exit_code", x.get(L.code)))
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
            k.tasks.taskWrite(c, "p_opptr", reaper);
          }
        })
        .step("write_lock_irq(&tasklist_lock); current->state = TASK_ZOMBIE (exit.c@2.4.22:389)",
            x -> k.tasks.setState(k.current(x), TASK_ZOMBIE))
        .step("do_notify_parent(current, current->exit_signal) -> wake_up_parent(p_pptr): "
            + "wake_up_interruptible(&p_pptr->wait_chldexit)", x -> {
              long t = k.current(x);
              long parent = k.tasks.taskRead(t, "p_pptr");
              k.timeline.emit(new Event.TaskExited(x.cpu().id(), k.tasks.pid(t),
                  k.tasks.taskRead(t, "exit_code") >> 8));
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
    for (long p = k.tasks.taskRead(t, "p_cptr"); p != 0; p = k.tasks.taskRead(t, "p_cptr")) {
      k.tasks.taskWrite(t, "p_cptr", k.tasks.taskRead(p, "p_osptr"));
      k.tasks.taskWrite(p, "p_ysptr", 0);
      long parent = k.tasks.taskRead(p, "p_opptr");
      k.tasks.taskWrite(p, "p_pptr", parent);
      long older = k.tasks.taskRead(parent, "p_cptr");
      k.tasks.taskWrite(p, "p_osptr", older);
      if (older != 0) {
        k.tasks.taskWrite(older, "p_ysptr", p);
      }
      k.tasks.taskWrite(parent, "p_cptr", p);
      if (k.tasks.state(p) == TASK_ZOMBIE) {
        k.rq.wakeAll(waitQueue(k, parent), x.cpu().id(), "the orphaned zombie pid " + k.tasks.pid(p)
            + " (do_notify_parent)");
      }
    }
  }

  /** A task's wait_chldexit queue. */
  static long waitQueue(Kernel k, long task) {
    return task + k.image.off("task_struct", "wait_chldexit");
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
    kstack.mem.Region r = k.mem.regionAt(p);
    if (r != null) {
      k.mem.unmap(r);
      k.timeline.recordUndo(() -> k.mem.map(r));
    }
  }
}
