package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * Process creation where the kernel stack is the task's own, refcounted object (4.9+, with
 * THREAD_INFO_IN_TASK): copy_process, dup_task_struct, alloc_thread_stack_node with its per-CPU
 * cache of two VMAP stacks, and put_task_stack (kernel/fork.c@4.16.13:215-360,761-829,1581-1957;
 * @6.19:192-392,908-949,1970-2460). A generation supplies its entry and copy_process's arguments:
 * register parameters (_do_fork) or a struct kernel_clone_args (kernel_clone).
 */
abstract class ForkRefcountedStack implements ProcessCreation {
  enum L implements Local { node, nr, orig, p, pid, stack, tsk }

  static final String SRC = Fork.SRC;

  /**
   * Whether alloc_thread_stack_node sets tsk->stack itself and dup_task_struct calls it after
   * arch_dup_task_struct (5.x+), rather than taking its return value before the copy.
   */
  private final boolean allocSetsStack;
  /** Whether a stack taken from the per-CPU cache is memset to 0 first (STACK_CACHE_CLEARED). */
  private final boolean cacheCleared;

  ForkRefcountedStack(boolean allocSetsStack, boolean cacheCleared) {
    this.allocSetsStack = allocSetsStack;
    this.cacheCleared = cacheCleared;
  }

  /** The entry (_do_fork or kernel_clone) and the kernel_thread helpers, built before copy_process. */
  abstract void buildEntry(Kernel k);

  /** copy_process's parameters. */
  abstract void copyProcessParams(RoutineBuilder b);

  /** clone_flags, wherever copy_process finds them. */
  abstract long cloneFlags(Exec x);

  /** The child's exit_signal. */
  abstract long exitSignal(Exec x);

  /** copy_process's PF_ flags step: its text and what it does to the new task p. */
  abstract String pfText();

  abstract long pfFlags(Exec x, long inherited);

  /** copy_process's naming step. */
  abstract String commText();

  abstract void comm(Kernel k, Exec x);

  /** copy_process's call of the arch's copy_thread. */
  abstract void copyThread(Kernel k, RoutineBuilder b);

  /** What alloc_pid returns when every pid below pid_max is in use, and what says so. */
  abstract long pidsExhausted();

  abstract String pidsExhaustedText();

  /** How bad_fork_free lets go of the task_struct: free_task (4.16) or delayed_free_task (6.19). */
  abstract String freeTaskText();

  @Override
  public void build(Kernel k) {
    buildEntry(k);
    buildCopyProcess(k);
    buildDupTaskStruct(k);
    buildAllocStack(k);
    k.image.add(k.image.c("put_task_stack", SRC).params(L.tsk)
        .step("if (refcount_dec_and_test(&tsk->stack_refcount)) release_task_stack(tsk): "
            + "free_thread_stack parks it in cached_stacks[] or vfree()s it; tsk->stack = NULL",
            x -> releaseStack(k, x, x.get(L.tsk)))
        .retVoid().build());
  }

  /**
   * The entry's end once copy_process has returned p: an error pointer is returned as it is,
   * otherwise the child's pid is taken and the child woken (fork.c@4.16.13:2091-2124,
   * @6.19:2654-2694).
   */
  static RoutineBuilder wakeNewTask(Kernel k, RoutineBuilder b) {
    return b.branchIf("created", "if (IS_ERR(p))", x -> !Clone.isErr(x, x.get(L.p)))
        .ret("  return PTR_ERR(p)", x -> x.get(L.p))
        .label("created")
        .step("nr = pid_vnr(get_task_pid(p, PIDTYPE_PID))", x -> x.set(L.nr, k.tasks.pid(x.get(L.p))))
        .call("wake_up_new_task(p)", "wake_up_new_task", Args.of(x -> x.get(L.p)))
        .ret("return nr", x -> x.get(L.nr));
  }

  private void buildCopyProcess(Kernel k) {
    RoutineBuilder b = k.image.c("copy_process", SRC);
    copyProcessParams(b);
    b.locals(L.p)
        .branchIf("flags_ok", "if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND)) "
            + "|| ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM)): a thread shares the "
            + "signal handlers, and those need the shared mm",
            x -> Clone.flagsValid(cloneFlags(x)))
        .ret("return ERR_PTR(-EINVAL)", x -> Clone.EINVAL)
        .label("flags_ok")
        .callInto(L.p, "p = dup_task_struct(current, node)", "dup_task_struct",
            Args.of(x -> k.current(x), x -> x.get(L.node)))
        .step(pfText(), x -> {
          long p = x.get(L.p);
          k.tasks.taskWrite(p, TaskMember.flags, pfFlags(x, k.tasks.taskRead(p, TaskMember.flags) & ~Kernel.PF_IDLE
              & ~Kernel.PF_EXITING));
        })
        .step(commText(), x -> comm(k, x))
        .step("sched_fork(clone_flags, p): p->state = TASK_NEW; __set_task_cpu(p, this cpu)",
            x -> Fork.schedFork(k, x, Sched.TASK_NEW))
        .step("copy_files(); copy_mm(): CLONE_VM shares current's mm, otherwise dup_mm copies it",
            x -> Fork.copyMmAndFiles(k, x, x.get(L.p), cloneFlags(x)))
        .step("pid = alloc_pid(); p->pid = pid_nr(pid); CLONE_THREAD: p->tgid = current->tgid, "
            + "p->group_leader = current->group_leader, p->real_parent = current->real_parent, "
            + "p->exit_signal = -1, list_add_tail_rcu(&p->" + Threads.member(k).path() + ", ...) [the "
            + "group]; else p->tgid = p->pid, p->real_parent = current, list_add_tail(&p->sibling, "
            + "&current->children), list_add_tail_rcu(&p->tasks, &init_task.tasks); attach_pid()",
            x -> {
              if (!Fork.tryLinkNew(k, x, x.get(L.p), exitSignal(x), cloneFlags(x), x.get(L.pid))) {
                // IS_ERR(pid): no pid below pid_max is free (fork.c@4.16.13:1807-1810,
                // @6.19:2237-2242). Linux calls alloc_pid after copy_thread, not before it as here.
                x.jump("bad_fork_cleanup_thread");
              }
            });
    copyThread(k, b);
    b.ret("return p", x -> x.get(L.p))
        .label("bad_fork_cleanup_thread")
        .step("retval = PTR_ERR(pid) (" + pidsExhaustedText() + "); bad_fork_cleanup_mm: if "
            + "(p->mm) mmput(p->mm); bad_fork_cleanup_files: exit_files(p)",
            x -> Fork.uncopyMmAndFiles(k, x.get(L.p), cloneFlags(x)))
        // bad_fork_free: fork.c@4.16.13:2019-2024, @6.19:2533-2542
        .call("bad_fork_free: put_task_stack(p)", "put_task_stack", Args.of(x -> x.get(L.p)))
        .ret(freeTaskText() + "; return ERR_PTR(retval)", x -> pidsExhausted());
    k.image.add(b.build());
  }

  private void buildDupTaskStruct(Kernel k) {
    RoutineBuilder b = k.image.c("dup_task_struct", SRC).params(L.orig, L.node).locals(L.tsk, L.stack);
    b.step("tsk = alloc_task_struct_node(node) (kmem_cache task_struct)",
        x -> x.set(L.tsk, k.pages.kmalloc(k.image.struct("task_struct").size(), "task_struct")));
    if (allocSetsStack) {
      // fork.c@6.19:908-949: arch_dup_task_struct first, then the stack.
      b.step("arch_dup_task_struct(tsk, orig): *tsk = *orig", x -> copyTask(k, x))
          .call("alloc_thread_stack_node(tsk, node): sets tsk->stack", "alloc_thread_stack_node",
              Args.of(x -> x.get(L.tsk), x -> x.get(L.node)));
    } else {
      // fork.c@4.16.13:761-829: the stack first, then the copy, then tsk->stack = stack.
      b.callInto(L.stack, "stack = alloc_thread_stack_node(tsk, node)", "alloc_thread_stack_node",
              Args.of(x -> x.get(L.tsk), x -> x.get(L.node)))
          .step("arch_dup_task_struct(tsk, orig): *tsk = *orig", x -> copyTask(k, x))
          .step("tsk->stack = stack; tsk->stack_vm_area = find_vm_area(stack)", x -> {
            k.tasks.taskWrite(x.get(L.tsk), TaskMember.stack, x.get(L.stack));
            k.tasks.taskWrite(x.get(L.tsk), TaskMember.stack_vm_area, x.get(L.stack));
          });
    }
    b.step("stack_refcount = 1", x -> k.tasks.taskWrite(x.get(L.tsk), TaskMember.stack_refcount, 1))
        .step("setup_thread_stack() (nothing with THREAD_INFO_IN_TASK); clear_tsk_need_resched()",
            x -> k.rq.setNeedResched(x.get(L.tsk), false))
        .step("set_task_stack_end_magic(tsk): *end_of_stack(tsk) = STACK_END_MAGIC", x -> {
          long tsk = x.get(L.tsk);
          k.writePtr(k.stacks.endOfStack(tsk), Kernel.STACK_END_MAGIC);
        })
        .step("tsk->stack_canary = get_random_canary(); usage = 2", x -> {
          long tsk = x.get(L.tsk);
          k.tasks.taskWrite(tsk, TaskMember.stack_canary, Fork.canary(k, tsk));
          k.tasks.taskWrite(tsk, TaskMember.usage, 2);
        })
        .ret("return tsk", x -> x.get(L.tsk));
    k.image.add(b.build());
  }

  private static void copyTask(Kernel k, Exec x) {
    k.mem.copy(x.get(L.tsk), x.get(L.orig), k.image.struct("task_struct").size());
  }

  private void buildAllocStack(Kernel k) {
    boolean vmap = k.profile.optional("VMAP_STACK");
    RoutineBuilder b = k.image.c("alloc_thread_stack_node", SRC).params(L.tsk, L.node).locals(L.stack);
    if (vmap) {
      b.step(cacheCleared
              ? "try this CPU's cached_stacks[0..1]: a reused stack is memset to 0"
              : "try this CPU's cached_stacks[0..1] (reused as it was left)",
              x -> x.set(L.stack, fromCache(k, x)))
          .branchIf("got", "if (stack) use it", x -> x.get(L.stack) != 0)
          .step("stack = __vmalloc_node_range(THREAD_SIZE, THREAD_ALIGN, VMALLOC_START, VMALLOC_END, "
              + "THREADINFO_GFP, ...): a vmalloc area with a guard page after it", x -> x.set(
                  L.stack, k.pages.vmalloc(k.threadSize, k.image.constant("THREAD_ALIGN"), "kernel stack")))
          .label("got");
    } else {
      b.step("stack = page_address(alloc_pages_node(node, THREADINFO_GFP, THREAD_SIZE_ORDER))",
          x -> x.set(L.stack, k.pages.allocPagesAligned(k.threadSize, "kernel stack")));
    }
    b.step("name the stack's region after its task", x -> k.pages.relabelStack(x.get(L.stack),
        "kernel stack of task_struct 0x", x.get(L.tsk)));
    if (allocSetsStack) {
      b.step("tsk->stack_vm_area = find_vm_area(stack); tsk->stack = stack", x -> {
        k.tasks.taskWrite(x.get(L.tsk), TaskMember.stack, x.get(L.stack));
        k.tasks.taskWrite(x.get(L.tsk), TaskMember.stack_vm_area, x.get(L.stack));
      }).ret("return 0", x -> 0);
    } else {
      b.ret("return stack", x -> x.get(L.stack));
    }
    k.image.add(b.build());
  }

  private long fromCache(Kernel k, Exec x) {
    var cache = k.pages.cachedStacks.get(x.cpu().id());
    if (cache.isEmpty()) {
      return 0;
    }
    long s = cache.removeFirst();
    if (cacheCleared) {
      k.mem.zero(s, k.threadSize);
    }
    return s;
  }

  /** release_task_stack → free_thread_stack (fork.c@4.16.13:249-360, @6.19:376-392). */
  private static void releaseStack(Kernel k, Exec x, long tsk) {
    long ref = k.tasks.taskRead(tsk, TaskMember.stack_refcount) - 1;
    k.tasks.taskWrite(tsk, TaskMember.stack_refcount, ref);
    if (ref != 0) {
      return;
    }
    long stack = k.stacks.stack(tsk);
    var cache = k.pages.cachedStacks.get(x.cpu().id());
    if (k.profile.optional("VMAP_STACK") && cache.size() < 2) {
      cache.addLast(stack);
      k.pages.relabelStack(stack, "kernel stack (free, in cached_stacks)");
    } else {
      Fork.freePages(k, stack);
    }
    k.tasks.taskWrite(tsk, TaskMember.stack, 0);
    k.tasks.taskWrite(tsk, TaskMember.stack_vm_area, 0);
  }
}
