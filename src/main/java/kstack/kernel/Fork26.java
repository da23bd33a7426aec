package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;

/**
 * Process creation at 2.6.32 (kernel/fork.c@2.6.32; docs/research/i386-and-2.x.md §3.5): do_fork
 * carries the parent's pt_regs down to copy_thread, dup_task_struct takes the stack with
 * alloc_thread_info (a macro for __get_free_pages, so no frame) and copies the parent's
 * thread_info into its base. The arch supplies sys_fork/sys_clone and kernel_thread.
 */
final class Fork26 {
  enum L implements Local {
      child_tidptr, clone_flags, nr, orig, p, parent_tidptr, pid, regs, stack_size, stack_start, ti,
      trace, tsk
  }

  private Fork26() {}

  static final String SRC = "kernel/fork.c";

  /** include/linux/sched.h@2.6.32.67:1737-1743 (0x2 is PF_IDLE from 4.10 on). */
  static final long PF_STARTING = 0x2;
  static final long PF_FORKNOEXEC = 0x40;
  static final long PF_SUPERPRIV = 0x100;

  static void build(Kernel k) {
    if (Sched2611.on(k)) {
      buildFork2611(k);
      buildDupTaskStruct2611(k);
      return;
    }
    k.image.add(k.image.c("do_fork", SRC)
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.parent_tidptr, L.child_tidptr)
        .locals(L.p, L.nr)
        .callInto(L.p, "p = copy_process(clone_flags, stack_start, regs, stack_size, child_tidptr, "
            + "NULL, trace)", "copy_process", Args.of(x -> x.get(L.clone_flags),
                x -> x.get(L.stack_start), x -> x.get(L.regs), x -> x.get(L.stack_size),
                x -> x.get(L.child_tidptr), x -> 0, x -> 0))
        .step("nr = task_pid_vnr(p); tracehook_report_clone(); p->flags &= ~PF_STARTING: the task "
            + "is fully live now (fork.c@2.6.32.67:1442-1447)", x -> {
              long p = x.get(L.p);
              x.set(L.nr, k.tasks.pid(p));
              k.tasks.taskWrite(p, "flags", k.tasks.taskRead(p, "flags") & ~PF_STARTING);
            })
        .call("wake_up_new_task(p, clone_flags)", "wake_up_new_task",
            Args.of(x -> x.get(L.p), x -> x.get(L.clone_flags)).unchecked())
        .ret("return nr", x -> x.get(L.nr)).build());
    k.image.add(k.image.c("copy_process", SRC)
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.child_tidptr, L.pid, L.trace)
        .locals(L.p)
        .callInto(L.p, "p = dup_task_struct(current)", "dup_task_struct",
            Args.of(x -> k.current(x)))
        .step("copy_flags(clone_flags, p): p->flags &= ~PF_SUPERPRIV; p->flags |= PF_FORKNOEXEC | "
            + "PF_STARTING (fork.c@2.6.32.67:926-935)", x -> {
          long p = x.get(L.p);
          k.tasks.taskWrite(p, "flags", (k.tasks.taskRead(p, "flags") & ~PF_SUPERPRIV) | PF_FORKNOEXEC
              | PF_STARTING);
        })
        .step("sched_fork(p, clone_flags): p->state = TASK_RUNNING (not yet on a run queue, so "
            + "nothing can wake it); set_task_cpu(p, smp_processor_id())",
            x -> Fork.schedFork(k, x, Kernel.TASK_RUNNING))
        .step("copy_files(); copy_fs(); copy_sighand(); copy_signal(); copy_mm(): CLONE_VM shares "
            + "current's mm, otherwise dup_mm copies it", x -> Fork.copyMmAndFilesOf(k, x,
                x.get(L.p), x.get(L.clone_flags)))
        .call("copy_thread(clone_flags, stack_start, stack_size, p, regs)", "copy_thread",
            Args.of(x -> x.get(L.clone_flags), x -> x.get(L.stack_start), x -> x.get(L.stack_size),
                x -> x.get(L.p), x -> x.get(L.regs)))
        .step("pid = alloc_pid(); p->pid = pid_nr(pid); p->tgid = p->pid, CLONE_THREAD: "
            + "current->tgid; p->exit_signal = CLONE_THREAD ? -1 : clone_flags & CSIGNAL; "
            + "p->real_parent = CLONE_THREAD ? current->real_parent : current; CLONE_THREAD: "
            + "list_add_tail_rcu(&p->thread_group, &p->group_leader->thread_group); "
            + "list_add_tail(&p->sibling, &p->real_parent->children); leader: "
            + "list_add_tail_rcu(&p->tasks, &init_task.tasks); attach_pid() "
            + "(fork.c@2.6.32.67:1179-1181,1219,1240-1292)",
            x -> Fork.linkNew(k, x, x.get(L.p), x.get(L.clone_flags) & 0xff,
                x.get(L.clone_flags), x.get(L.pid)))
        .ret("return p", x -> x.get(L.p)).build());
    k.image.add(k.image.c("dup_task_struct", SRC).params(L.orig).locals(L.tsk, L.ti)
        .step("prepare_to_copy(orig); tsk = alloc_task_struct() (kmem_cache)",
            x -> x.set(L.tsk, k.pages.kmalloc(k.image.struct("task_struct").size(), "task_struct")))
        .step("ti = alloc_thread_info(tsk): __get_free_pages(THREAD_FLAGS, THREAD_ORDER), a "
            + "THREAD_SIZE block aligned to its size", x -> x.set(L.ti,
                k.pages.allocPagesAligned(k.threadSize, "thread_union of task_struct 0x"
                    + Long.toHexString(x.get(L.tsk)))))
        .step("arch_dup_task_struct(tsk, orig): *tsk = *orig; tsk->stack = ti",
            x -> {
              k.mem.copy(x.get(L.tsk), x.get(L.orig), k.image.struct("task_struct").size());
              k.tasks.taskWrite(x.get(L.tsk), "stack", x.get(L.ti));
            })
        .step("setup_thread_stack(tsk, orig): *task_thread_info(tsk) = *task_thread_info(orig); "
            + "task_thread_info(tsk)->task = tsk", x -> {
              long tsk = x.get(L.tsk);
              k.mem.copy(x.get(L.ti), k.tasks.threadInfo(x.get(L.orig)),
                  k.image.struct("thread_info").size());
              k.tasks.tiWrite(tsk, "task", tsk);
            })
        .step("stackend = end_of_stack(tsk); *stackend = STACK_END_MAGIC (just above thread_info; "
            + "2.6.32 leaves the copied TIF flags as they are)", x ->
                k.writePtr(k.stacks.endOfStack(x.get(L.tsk)), Kernel.STACK_END_MAGIC))
        .step("tsk->stack_canary = get_random_int(); atomic_set(&tsk->usage, 2)", x -> {
          long tsk = x.get(L.tsk);
          k.tasks.taskWrite(tsk, "stack_canary", Fork.canaryOf(k, tsk));
          k.tasks.taskWrite(tsk, "usage", 2);
        })
        .ret("return tsk", x -> x.get(L.tsk)).build());
  }

  /**
   * 2.6.11's do_fork and copy_process (kernel/fork.c@2.6.11:786-1075,1124-1180): do_fork takes
   * the pid from alloc_pidmap before copy_process and passes it down; copy_flags sets no
   * PF_STARTING; sched_fork(p) comes after copy_thread, which takes a leading nr of 0; the task is
   * linked with SET_LINKS and attach_pid under tasklist_lock.
   */
  private static void buildFork2611(Kernel k) {
    String src = SRC + "@2.6.11";
    k.image.add(k.image.c("do_fork", src + ":1124-1180")
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.parent_tidptr, L.child_tidptr)
        .locals(L.p, L.nr)
        .step("pid = alloc_pidmap(); if (pid < 0) return -EAGAIN; trace = 0 (current is not "
            + "ptraced)", x -> x.set(L.nr, k.pids.allocPid()))
        .callInto(L.p, "p = copy_process(clone_flags, stack_start, regs, stack_size, "
            + "parent_tidptr, child_tidptr, pid)", "copy_process", Args.of(x -> x.get(L.clone_flags), x -> x.get(L.stack_start), x -> x.get(L.regs),
                x -> x.get(L.stack_size), x -> x.get(L.parent_tidptr), x -> x.get(L.child_tidptr),
                x -> x.get(L.nr)))
        .call("if (!(clone_flags & CLONE_STOPPED)) wake_up_new_task(p, clone_flags)",
            "wake_up_new_task", Args.of(x -> x.get(L.p), x -> x.get(L.clone_flags)).unchecked())
        .ret("return pid", x -> x.get(L.nr)).build());
    k.image.add(k.image.c("copy_process", src + ":786-1075")
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.parent_tidptr, L.child_tidptr, L.pid)
        .locals(L.p)
        .callInto(L.p, "p = dup_task_struct(current)", "dup_task_struct",
            Args.of(x -> k.current(x)))
        .step("p->did_exec = 0; copy_flags(clone_flags, p): p->flags &= ~PF_SUPERPRIV; p->flags "
            + "|= PF_FORKNOEXEC; p->pid = pid", x -> {
              long p = x.get(L.p);
              k.tasks.taskWrite(p, "flags", (k.tasks.taskRead(p, "flags") & ~PF_SUPERPRIV) | PF_FORKNOEXEC);
              k.tasks.taskWrite(p, "pid", x.get(L.pid));
            })
        .step("p->tgid = p->pid; copy_semundo(); copy_files(); copy_fs(); copy_sighand(); "
            + "copy_signal(); copy_mm(): CLONE_VM shares current's mm, otherwise a new mm_struct "
            + "and dup_mmap()", x -> Fork.copyMmAndFilesOf(k, x, x.get(L.p),
                x.get(L.clone_flags)))
        .call("retval = copy_thread(0, clone_flags, stack_start, stack_size, p, regs)",
            "copy_thread", Args.of(x -> 0, x -> x.get(L.clone_flags), x -> x.get(L.stack_start),
                x -> x.get(L.stack_size), x -> x.get(L.p), x -> x.get(L.regs)))
        .step("p->exit_signal = clone_flags & CSIGNAL; p->exit_state = 0; sched_fork(p): "
            + "p->state = TASK_RUNNING (on no run queue yet, so nothing can wake it), half of "
            + "current's time_slice", x -> Fork.schedFork(k, x, Kernel.TASK_RUNNING))
        .step("write_lock_irq(&tasklist_lock); set_task_cpu(p, smp_processor_id()); "
            + "p->real_parent = p->parent = current; SET_LINKS(p): onto init_task.tasks and "
            + "current->children; attach_pid(p, PIDTYPE_PID, p->pid) and the TGID, PGID, SID",
            x -> Fork.linkNewWithPid(k, x, x.get(L.p), x.get(L.clone_flags) & 0xff,
                (int) x.get(L.pid)))
        .ret("return p", x -> x.get(L.p)).build());
  }

  /**
   * 2.6.11's dup_task_struct (kernel/fork.c@2.6.11:134-159): the thread_info block comes from
   * kmalloc (alloc_thread_info, include/asm-i386/thread_info.h@2.6.11:99-113; the size-8192 cache
   * is assumed THREAD_SIZE aligned, which the esp mask needs), both structs are copied whole and
   * linked both ways; nothing marks the end of the stack.
   */
  private static void buildDupTaskStruct2611(Kernel k) {
    k.image.add(k.image.c("dup_task_struct", SRC + "@2.6.11:134-157").params(L.orig).locals(L.tsk, L.ti)
        .step("prepare_to_copy(orig); tsk = alloc_task_struct() (kmem_cache_alloc of "
            + "task_struct_cachep)", x -> x.set(L.tsk, k.pages.kmalloc(k.image.struct("task_struct").size(),
                "task_struct")))
        .step("ti = alloc_thread_info(tsk): kmalloc(THREAD_SIZE, GFP_KERNEL)", x -> x.set(L.ti,
            k.pages.allocPagesAligned(k.threadSize, "thread_info block (kmalloc) of task_struct 0x"
                + Long.toHexString(x.get(L.tsk)))))
        .step("*ti = *orig->thread_info; *tsk = *orig; tsk->thread_info = ti; ti->task = tsk",
            x -> {
              long tsk = x.get(L.tsk);
              k.mem.copy(x.get(L.ti), k.tasks.threadInfo(x.get(L.orig)),
                  k.image.struct("thread_info").size());
              k.mem.copy(tsk, x.get(L.orig), k.image.struct("task_struct").size());
              k.tasks.taskWrite(tsk, "stack", x.get(L.ti));
              k.tasks.tiWrite(tsk, "task", tsk);
            })
        .step("atomic_set(&tsk->usage, 2)", x -> k.tasks.taskWrite(x.get(L.tsk), "usage", 2))
        .ret("return tsk", x -> x.get(L.tsk)).build());
  }

  /** For fork_idle: copy_process(CLONE_VM, 0, idle_regs(&regs), 0, NULL, &init_struct_pid, 0). */
  static long[] idleArgs(Exec x, long regs) {
    return new long[] {Kernel.CLONE_VM, 0, regs, 0, 0, -1, 0};
  }
}
