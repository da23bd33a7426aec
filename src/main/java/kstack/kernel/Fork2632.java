package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Local;

/**
 * Process creation at 2.6.32 (kernel/fork.c@2.6.32; docs/research/i386-and-2.x.md §3.5): do_fork
 * carries the parent's pt_regs down to copy_thread, dup_task_struct takes the stack with
 * alloc_thread_info (a macro for __get_free_pages, so no frame) and copies the parent's
 * thread_info into its base.
 */
public final class Fork2632 extends ForkPassesRegs {
  enum L implements Local {
      child_tidptr, clone_flags, nr, orig, p, parent_tidptr, pid, regs, stack_size, stack_start, ti,
      trace, tsk
  }

  /**
   * What copy_process returns when alloc_pid finds no free pid: retval = -ENOMEM just before
   * alloc_pid, whose NULL sends it to bad_fork_cleanup_io (kernel/fork.c@2.6.32.67:1165-1169);
   * alloc_pid returns NULL when alloc_pidmap gives -1 (kernel/pid.c@2.6.32.67:182,260-261,285-290).
   */
  static final long ENOMEM = -12;

  @Override
  public void build(Kernel k) {
    buildDoFork(k);
    buildCopyProcess(k);
    buildDupTaskStruct(k);
  }

  private static void buildDoFork(Kernel k) {
    k.image.add(k.image.c("do_fork", SRC)
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.parent_tidptr, L.child_tidptr)
        .locals(L.p, L.nr)
        .callInto(L.p, "p = copy_process(clone_flags, stack_start, regs, stack_size, child_tidptr, "
            + "NULL, trace)", "copy_process", Args.of(x -> x.get(L.clone_flags),
                x -> x.get(L.stack_start), x -> x.get(L.regs), x -> x.get(L.stack_size),
                x -> x.get(L.child_tidptr), x -> 0, x -> 0))
        .branchIf("created", "if (!IS_ERR(p))", x -> !Clone.isErr(x, x.get(L.p)))
        .ret("nr = PTR_ERR(p); return nr", x -> x.get(L.p)) // fork.c@2.6.32.67:1469-1472
        .label("created")
        .step("nr = task_pid_vnr(p); tracehook_report_clone(); p->flags &= ~PF_STARTING: the task "
            + "is fully live now (fork.c@2.6.32.67:1442-1447)", x -> {
              long p = x.get(L.p);
              x.set(L.nr, k.tasks.pid(p));
              k.tasks.taskWrite(p, TaskMember.flags, k.tasks.taskRead(p, TaskMember.flags) & ~PF_STARTING);
            })
        .call("wake_up_new_task(p, clone_flags)", "wake_up_new_task",
            Args.of(x -> x.get(L.p), x -> x.get(L.clone_flags)))
        .ret("return nr", x -> x.get(L.nr)).build());
  }

  private static void buildCopyProcess(Kernel k) {
    k.image.add(k.image.c("copy_process", SRC)
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.child_tidptr, L.pid, L.trace)
        .locals(L.p)
        .callInto(L.p, "p = dup_task_struct(current)", "dup_task_struct",
            Args.of(x -> k.current(x)))
        .step("copy_flags(clone_flags, p): p->flags &= ~PF_SUPERPRIV; p->flags |= PF_FORKNOEXEC | "
            + "PF_STARTING (fork.c@2.6.32.67:926-935)", x -> {
          long p = x.get(L.p);
          k.tasks.taskWrite(p, TaskMember.flags, (k.tasks.taskRead(p, TaskMember.flags) & ~PF_SUPERPRIV) | PF_FORKNOEXEC
              | PF_STARTING);
        })
        .step("sched_fork(p, clone_flags): p->state = TASK_RUNNING (not yet on a run queue, so "
            + "nothing can wake it); set_task_cpu(p, smp_processor_id())",
            x -> Fork.schedFork(k, x, Kernel.TASK_RUNNING))
        .step("copy_files(); copy_fs(); copy_sighand(); copy_signal(); copy_mm(): CLONE_VM shares "
            + "current's mm, otherwise dup_mm copies it", x -> Fork.copyMmAndFiles(k, x,
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
            x -> {
              if (!Fork.tryLinkNew(k, x, x.get(L.p), x.get(L.clone_flags) & 0xff,
                  x.get(L.clone_flags), x.get(L.pid))) {
                x.jump("bad_fork_cleanup_io"); // alloc_pid returned NULL (fork.c@2.6.32.67:1168-1169)
              }
            })
        .ret("return p", x -> x.get(L.p))
        .label("bad_fork_cleanup_io")
        .step("retval = -ENOMEM (set before alloc_pid); bad_fork_cleanup_io ... "
            + "bad_fork_cleanup_mm: if (p->mm) mmput(p->mm); bad_fork_cleanup_files: "
            + "exit_files(p)", x -> Fork.uncopyMmAndFiles(k, x.get(L.p), x.get(L.clone_flags)))
        .step("bad_fork_free: free_task(p): free_thread_info(p->stack) gives the stack's pages "
            + "back; free_task_struct(p)", x -> Fork.freePages(k, k.stacks.stack(x.get(L.p))))
        // the labels, bad_fork_cleanup_io to fork_out: fork.c@2.6.32.67:1304-1340
        .ret("return ERR_PTR(retval)", x -> ENOMEM).build());
  }

  private static void buildDupTaskStruct(Kernel k) {
    k.image.add(k.image.c("dup_task_struct", SRC).params(L.orig).locals(L.tsk, L.ti)
        .step("prepare_to_copy(orig); tsk = alloc_task_struct() (kmem_cache)",
            x -> x.set(L.tsk, k.pages.kmalloc(k.image.struct("task_struct").size(), "task_struct")))
        .step("ti = alloc_thread_info(tsk): __get_free_pages(THREAD_FLAGS, THREAD_ORDER), a "
            + "THREAD_SIZE block aligned to its size", x -> x.set(L.ti,
                k.pages.allocPagesAligned(k.threadSize, "thread_union of task_struct 0x",
                    x.get(L.tsk))))
        .step("arch_dup_task_struct(tsk, orig): *tsk = *orig; tsk->stack = ti",
            x -> {
              k.mem.copy(x.get(L.tsk), x.get(L.orig), k.image.struct("task_struct").size());
              k.tasks.taskWrite(x.get(L.tsk), TaskMember.stack, x.get(L.ti));
            })
        .step("setup_thread_stack(tsk, orig): *task_thread_info(tsk) = *task_thread_info(orig); "
            + "task_thread_info(tsk)->task = tsk", x -> {
              long tsk = x.get(L.tsk);
              k.mem.copy(x.get(L.ti), k.tasks.threadInfo(x.get(L.orig)),
                  k.image.struct("thread_info").size());
              k.tasks.tiWrite(tsk, ThreadInfoMember.task, tsk);
            })
        .step("stackend = end_of_stack(tsk); *stackend = STACK_END_MAGIC (just above thread_info; "
            + "2.6.32 leaves the copied TIF flags as they are)", x ->
                k.writePtr(k.stacks.endOfStack(x.get(L.tsk)), Kernel.STACK_END_MAGIC))
        .step("tsk->stack_canary = get_random_int(); atomic_set(&tsk->usage, 2)", x -> {
          long tsk = x.get(L.tsk);
          k.tasks.taskWrite(tsk, TaskMember.stack_canary, Fork.canary(k, tsk));
          k.tasks.taskWrite(tsk, TaskMember.usage, 2);
        })
        .ret("return tsk", x -> x.get(L.tsk)).build());
  }
}
