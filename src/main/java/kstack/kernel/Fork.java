package kstack.kernel;

import java.util.HashMap;
import java.util.Map;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.mem.Memory;
import kstack.profile.Feature;

/**
 * Process creation, kernel/fork.c: the entry (4.16 {@code _do_fork}, 6.19 {@code kernel_clone}),
 * copy_process, dup_task_struct and alloc_thread_stack_node in each generation's order, and the
 * kernel_thread / user_mode_thread helpers. The arch's copy_thread forges the child's first frames.
 */
final class Fork {
  enum L implements Local {
      arg, args, child_tidptr, clone_flags, flags, fn, name, node, nr, orig, p, parent_tidptr, pid,
      stack, stack_size, stack_start, tls, trace, tsk
  }

  private Fork() {}

  static final String SRC = "kernel/fork.c";
  static final long NUMA_NO_NODE = -1;

  /** struct kernel_clone_args members the model uses, in include/linux/sched/task.h@6.19 order. */
  static final String[] CLONE_ARGS = {"flags", "pidfd", "child_tid", "parent_tid", "exit_signal",
      "stack", "stack_size", "tls", "kthread", "name", "fn", "fn_arg"};

  static long cloneArg(Exec x, long args, String field) {
    return x.read(args + (long) x.word() * indexOf(field));
  }

  /** A designated initializer: every member not named is zero. */
  static void zeroCloneArgs(Exec x, long args) {
    for (int i = 0; i < CLONE_ARGS.length; i++) {
      x.write(args + (long) x.word() * i, 0);
    }
  }

  static void setCloneArg(Exec x, long args, String field, long v) {
    x.write(args + (long) x.word() * indexOf(field), v);
  }

  private static int indexOf(String f) {
    for (int i = 0; i < CLONE_ARGS.length; i++) {
      if (CLONE_ARGS[i].equals(f)) {
        return i;
      }
    }
    throw new IllegalArgumentException(f);
  }

  static void build(Kernel k) {
    if (k.profile.has(Feature.FORK_PASSES_REGS)) {
      Fork26.build(k);
      return;
    }
    boolean clone = k.profile.has(Feature.KERNEL_CLONE);
    if (clone) {
      buildKernelClone(k);
    } else {
      buildDoFork(k);
    }
    buildCopyProcess(k, clone);
    buildDupTaskStruct(k);
    buildAllocStack(k);
    k.image.add(k.image.c("put_task_stack", SRC).params(L.tsk)
        .step("if (refcount_dec_and_test(&tsk->stack_refcount)) release_task_stack(tsk): "
            + "free_thread_stack parks it in cached_stacks[] or vfree()s it; tsk->stack = NULL",
            x -> releaseStack(k, x, x.get(L.tsk)))
        .retVoid().build());
  }

  /** 4.16: _do_fork(clone_flags, stack_start, stack_size, parent_tidptr, child_tidptr, tls). */
  private static void buildDoFork(Kernel k) {
    k.image.add(k.image.c("_do_fork", SRC)
        .params(L.clone_flags, L.stack_start, L.stack_size, L.parent_tidptr, L.child_tidptr, L.tls)
        .locals(L.p, L.nr)
        .callWithStackArgs("p = copy_process(clone_flags, stack_start, stack_size, child_tidptr, "
            + "NULL, trace, tls, NUMA_NO_NODE)", "copy_process",
            Args.of(x -> x.get(L.clone_flags), x -> x.get(L.stack_start), x -> x.get(L.stack_size),
                x -> x.get(L.child_tidptr), x -> 0, x -> 0, x -> x.get(L.tls), x -> NUMA_NO_NODE), 2)
        .step("p = returned task", x -> x.set(L.p, x.retval()))
        .branchIf("created", "if (IS_ERR(p))", x -> !Clone.isErr(x, x.get(L.p)))
        .ret("  return PTR_ERR(p)", x -> x.get(L.p))
        .label("created")
        .step("nr = pid_vnr(get_task_pid(p, PIDTYPE_PID))", x -> x.set(L.nr, k.tasks.pid(x.get(L.p))))
        .call("wake_up_new_task(p)", "wake_up_new_task", Args.of(x -> x.get(L.p)))
        .ret("return nr", x -> x.get(L.nr)).build());
    RoutineBuilder kt = k.image.c("kernel_thread", SRC + "@4.16.13:2144-2148").params(L.fn, L.arg, L.flags);
    java.util.function.Function<Exec, long[]> ktArgs = x -> new long[] {
        x.get(L.flags) | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED, x.get(L.fn), x.get(L.arg),
        0, 0, 0};
    String ktText = "_do_fork(flags|CLONE_VM|CLONE_UNTRACED, (unsigned long)fn, (unsigned long)arg, "
        + "NULL, NULL, 0)";
    k.image.add(SiblingCall.on(k) ? SiblingCall.ret(k, kt, "return " + ktText, "_do_fork", Args.computed(ktArgs)).build()
        : kt.call(ktText, "_do_fork", Args.computed(ktArgs)).ret("return pid", Exec::retval).build());
  }

  /** 5.10+/6.19: kernel_clone(struct kernel_clone_args *args), fork.c@6.19:2610. */
  private static void buildKernelClone(Kernel k) {
    k.image.add(k.image.c("kernel_clone", SRC).params(L.args).locals(L.p, L.nr)
        .callInto(L.p, "p = copy_process(NULL, trace, NUMA_NO_NODE, args)", "copy_process",
            Args.of(x -> 0, x -> 0, x -> NUMA_NO_NODE, x -> x.get(L.args)))
        .branchIf("created", "if (IS_ERR(p))", x -> !Clone.isErr(x, x.get(L.p)))
        .ret("  return PTR_ERR(p)", x -> x.get(L.p))
        .label("created")
        .step("nr = pid_vnr(get_task_pid(p, PIDTYPE_PID))", x -> x.set(L.nr, k.tasks.pid(x.get(L.p))))
        .call("wake_up_new_task(p)", "wake_up_new_task", Args.of(x -> x.get(L.p)))
        .ret("return nr", x -> x.get(L.nr)).build());
    // kernel_thread(fn, arg, name, flags), fork.c@6.19:2700
    k.image.add(cloneHelper(k, "kernel_thread", true).build());
    // user_mode_thread(fn, arg, flags), fork.c@6.19:2718
    k.image.add(cloneHelper(k, "user_mode_thread", false).build());
  }

  private static RoutineBuilder cloneHelper(Kernel k, String name, boolean kthread) {
    RoutineBuilder b = k.image.c(name, SRC);
    b = kthread ? b.params(L.fn, L.arg, L.name, L.flags) : b.params(L.fn, L.arg, L.flags);
    return b.localArea(L.args, k.t.word * CLONE_ARGS.length)
        .step("struct kernel_clone_args args = { .flags = (flags|CLONE_VM|CLONE_UNTRACED) & ~CSIGNAL, "
            + ".exit_signal = flags & CSIGNAL, .fn = fn, .fn_arg = arg"
            + (kthread ? ", .name = name, .kthread = 1 }" : " }"), x -> {
              long a = x.addr(L.args);
              zeroCloneArgs(x, a);
              long flags = x.get(L.flags);
              setCloneArg(x, a, "flags", (flags | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED) & ~0xffL);
              setCloneArg(x, a, "exit_signal", flags & 0xff);
              setCloneArg(x, a, "fn", x.get(L.fn));
              setCloneArg(x, a, "fn_arg", x.get(L.arg));
              if (kthread) {
                setCloneArg(x, a, "name", x.get(L.name));
                setCloneArg(x, a, "kthread", 1);
              }
            })
        .call("return kernel_clone(&args)", "kernel_clone", Args.of(x -> x.addr(L.args)))
        .ret("return pid", Exec::retval);
  }

  private static void buildCopyProcess(Kernel k, boolean clone) {
    RoutineBuilder b = k.image.c("copy_process", SRC);
    if (clone) {
      b.params(L.pid, L.trace, L.node, L.args);
    } else {
      b.params(L.clone_flags, L.stack_start, L.stack_size, L.child_tidptr, L.pid, L.trace, L.tls, L.node);
    }
    b.locals(L.p)
        .branchIf("flags_ok", "if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND)) "
            + "|| ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM)): a thread shares the "
            + "signal handlers, and those need the shared mm",
            x -> Clone.flagsValid(flags(k, x, clone)))
        .ret("return ERR_PTR(-EINVAL)", x -> Clone.EINVAL)
        .label("flags_ok")
        .callInto(L.p, "p = dup_task_struct(current, node)", "dup_task_struct",
            Args.of(x -> k.current(x), x -> x.get(L.node)))
        .step(clone ? "p->flags &= ~(PF_IDLE|PF_KTHREAD...); if (args->kthread) p->flags |= PF_KTHREAD"
                : "p->flags &= ~(PF_SUPERPRIV | PF_WQ_WORKER | PF_IDLE) (PF_KTHREAD is inherited)",
            x -> {
              long p = x.get(L.p);
              long f = k.tasks.taskRead(p, "flags") & ~Kernel.PF_IDLE & ~Kernel.PF_EXITING;
              if (clone) {
                f &= ~Kernel.PF_KTHREAD;
                if (cloneArg(x, x.get(L.args), "kthread") != 0) {
                  f |= Kernel.PF_KTHREAD;
                }
              }
              k.tasks.taskWrite(p, "flags", f);
            })
        .step(clone ? "if (args->name) strscpy_pad(p->comm, args->name)" : "(the comm is the parent's)",
            x -> {
              if (clone && cloneArg(x, x.get(L.args), "name") != 0) {
                k.tasks.setComm(x.get(L.p), k.mem.readCString(cloneArg(x, x.get(L.args), "name"), 16));
              }
            })
        .step("sched_fork(clone_flags, p): p->state = TASK_NEW; __set_task_cpu(p, this cpu)",
            x -> schedFork(k, x, Sched.TASK_NEW))
        .step("copy_files(); copy_mm(): CLONE_VM shares current's mm, otherwise dup_mm copies it",
            x -> copyMmAndFiles(k, x, x.get(L.p), flags(k, x, clone)))
        .step("pid = alloc_pid(); p->pid = pid_nr(pid); CLONE_THREAD: p->tgid = current->tgid, "
            + "p->group_leader = current->group_leader, p->real_parent = current->real_parent, "
            + "p->exit_signal = -1, list_add_tail_rcu(&p->" + Threads.member(k) + ", ...) [the "
            + "group]; else p->tgid = p->pid, p->real_parent = current, list_add_tail(&p->sibling, "
            + "&current->children), list_add_tail_rcu(&p->tasks, &init_task.tasks); attach_pid()",
            x -> linkNewTask(k, x, x.get(L.p), clone ? cloneArg(x, x.get(L.args), "exit_signal")
                : x.get(L.clone_flags) & 0xff, flags(k, x, clone), x.get(L.pid)));
    if (clone) {
      b.call("copy_thread(p, args)", "copy_thread",
          Args.of(x -> x.get(L.p), x -> x.get(L.args)));
    } else {
      String ct = k.arch.copyThreadSymbol(k.profile);
      b.call("copy_thread_tls(clone_flags, stack_start, stack_size, p, tls)"
          + (ct.equals("copy_thread_tls") ? "" : " [inline wrapper] -> " + ct + "(...)"), ct,
          Args.of(x -> x.get(L.clone_flags), x -> x.get(L.stack_start), x -> x.get(L.stack_size),
              x -> x.get(L.p), x -> Clone.stackParam(x, L.tls, 6)).unchecked());
    }
    k.image.add(b.ret("return p", x -> x.get(L.p)).build());
  }

  /**
   * put_task_struct (include/linux/sched.h@2.6.32, inline): the last reference frees the task
   * through __put_task_struct → free_task → free_thread_info, which returns the stack's pages.
   */
  static void putTaskStruct(Kernel k, long tsk) {
    long usage = k.tasks.taskRead(tsk, "usage") - 1;
    k.tasks.taskWrite(tsk, "usage", usage);
    if (usage != 0) {
      return;
    }
    kstack.mem.Region r = k.mem.regionAt(k.stacks.stack(tsk));
    if (r != null) {
      k.mem.unmap(r);
      k.timeline.recordUndo(() -> k.mem.map(r));
    }
    k.tasks.taskWrite(tsk, "stack", 0);
  }

  static void copyMmAndFilesOf(Kernel k, Exec x, long p, long cloneFlags) {
    copyMmAndFiles(k, x, p, cloneFlags);
  }

  static void linkNew(Kernel k, Exec x, long p, long exitSignal, long flags, long pidArg) {
    linkNewTask(k, x, p, exitSignal, flags, pidArg);
  }

  /** 2.6.11: the pid was allocated by do_fork before copy_process (fork.c@2.6.11:1133). */
  static void linkNewWithPid(Kernel k, Exec x, long p, long exitSignal, int pid) {
    Threads.link(k, x, p, exitSignal, 0, pid, false);
  }

  /** The model's half of sched_fork: the given state, on no run queue, on this CPU, no TIF flags. */
  static void schedFork(Kernel k, Exec x, long state) {
    long p = x.get(L.p);
    k.tasks.setState(p, state);
    k.tasks.setTaskCpu(p, x.cpu().id());
    k.tasks.taskWrite(p, "on_cpu", 0);
    k.tasks.taskWrite(p, "on_rq", 0);
    k.tasks.tiWrite(p, "flags", 0);
  }

  static long canaryOf(Kernel k, long tsk) {
    return canary(k, tsk);
  }

  private static long flags(Kernel k, Exec x, boolean clone) {
    return clone ? cloneArg(x, x.get(L.args), "flags") : x.get(L.clone_flags);
  }

  private static void buildDupTaskStruct(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    RoutineBuilder b = k.image.c("dup_task_struct", SRC).params(L.orig, L.node).locals(L.tsk, L.stack);
    b.step("tsk = alloc_task_struct_node(node) (kmem_cache task_struct)",
        x -> x.set(L.tsk, k.pages.kmalloc(k.image.struct("task_struct").size(), "task_struct")));
    if (v6) {
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
            k.tasks.taskWrite(x.get(L.tsk), "stack", x.get(L.stack));
            k.tasks.taskWrite(x.get(L.tsk), "stack_vm_area", x.get(L.stack));
          });
    }
    b.step("stack_refcount = 1", x -> k.tasks.taskWrite(x.get(L.tsk), "stack_refcount", 1))
        .step("setup_thread_stack() (nothing with THREAD_INFO_IN_TASK); clear_tsk_need_resched()",
            x -> k.rq.setNeedResched(x.get(L.tsk), false))
        .step("set_task_stack_end_magic(tsk): *end_of_stack(tsk) = STACK_END_MAGIC", x -> {
          long tsk = x.get(L.tsk);
          k.writePtr(k.stacks.endOfStack(tsk), Kernel.STACK_END_MAGIC);
        })
        .step("tsk->stack_canary = get_random_canary(); usage = 2", x -> {
          long tsk = x.get(L.tsk);
          k.tasks.taskWrite(tsk, "stack_canary", canary(k, tsk));
          k.tasks.taskWrite(tsk, "usage", 2);
        })
        .ret("return tsk", x -> x.get(L.tsk));
    k.image.add(b.build());
  }

  /** Deterministic "random" canary: the simulator must replay byte for byte. */
  private static long canary(Kernel k, long tsk) {
    long z = tsk * 0x9E3779B97F4A7C15L + k.timeline.steps();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    return (z ^ (z >>> 31)) & 0xffffffffffffff00L; // the low byte is 0, as get_random_canary makes it
  }

  private static void copyTask(Kernel k, Exec x) {
    k.mem.copy(x.get(L.tsk), x.get(L.orig), k.image.struct("task_struct").size());
  }

  private static void buildAllocStack(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    boolean vmap = k.profile.optional("VMAP_STACK");
    RoutineBuilder b = k.image.c("alloc_thread_stack_node", SRC).params(L.tsk, L.node).locals(L.stack);
    if (vmap) {
      b.step(k.profile.has(Feature.STACK_CACHE_CLEARED)
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
        "kernel stack of task_struct 0x" + Long.toHexString(x.get(L.tsk))));
    if (v6) {
      b.step("tsk->stack_vm_area = find_vm_area(stack); tsk->stack = stack", x -> {
        k.tasks.taskWrite(x.get(L.tsk), "stack", x.get(L.stack));
        k.tasks.taskWrite(x.get(L.tsk), "stack_vm_area", x.get(L.stack));
      }).ret("return 0", x -> 0);
    } else {
      b.ret("return stack", x -> x.get(L.stack));
    }
    k.image.add(b.build());
  }

  private static long fromCache(Kernel k, Exec x) {
    var cache = k.pages.cachedStacks.get(x.cpu().id());
    if (cache.isEmpty()) {
      return 0;
    }
    long s = cache.removeFirst();
    if (k.profile.has(Feature.STACK_CACHE_CLEARED)) {
      k.mem.zero(s, k.threadSize);
    }
    return s;
  }

  /** release_task_stack → free_thread_stack (fork.c@4.16.13:249-360, @6.19:376-392). */
  static void releaseStack(Kernel k, Exec x, long tsk) {
    long ref = k.tasks.taskRead(tsk, "stack_refcount") - 1;
    k.tasks.taskWrite(tsk, "stack_refcount", ref);
    if (ref != 0) {
      return;
    }
    long stack = k.stacks.stack(tsk);
    var cache = k.pages.cachedStacks.get(x.cpu().id());
    if (k.profile.optional("VMAP_STACK") && cache.size() < 2) {
      cache.addLast(stack);
      k.pages.relabelStack(stack, "kernel stack (free, in cached_stacks)");
    } else {
      kstack.mem.Region r = k.mem.regionAt(stack);
      if (r != null) {
        k.mem.unmap(r);
        k.timeline.recordUndo(() -> k.mem.map(r));
      }
    }
    k.tasks.taskWrite(tsk, "stack", 0);
    k.tasks.taskWrite(tsk, "stack_vm_area", 0);
  }

  private static void copyMmAndFiles(Kernel k, Exec x, long p, long cloneFlags) {
    long cur = k.current(x);
    long mm = k.tasks.taskRead(cur, "mm");
    Map<Integer, Long> files = k.files.fds(cur);
    k.files.setFds(p, new HashMap<>(files));
    if (mm == 0 || (cloneFlags & Kernel.CLONE_VM) != 0) {
      if (mm != 0) {
        k.mem.write(mm + k.image.off("mm_struct", "mm_users"), 4,
            k.mem.read(mm + k.image.off("mm_struct", "mm_users"), 4) + 1);
      }
      return;
    }
    long newMm = k.pages.kmalloc(k.image.struct("mm_struct").size(), "mm_struct");
    k.mem.copy(newMm, mm, k.image.struct("mm_struct").size());
    k.mem.write(newMm + k.image.off("mm_struct", "mm_users"), 4, 1);
    k.writePtr(newMm + k.image.off("mm_struct", "pgd"), newMm);
    Memory child = k.mm.newUserSpace(newMm, "mm 0x" + Long.toHexString(newMm));
    k.mm.userSpace(mm).copyInto(child);
    k.tasks.taskWrite(p, "mm", newMm);
    k.tasks.taskWrite(p, "active_mm", newMm);
  }

  private static void linkNewTask(Kernel k, Exec x, long p, long exitSignal, long flags,
      long pidArg) {
    boolean idle = x.signed(pidArg) == -1; // fork_idle passes &init_struct_pid: the task keeps pid 0
    Threads.link(k, x, p, exitSignal, flags, idle ? 0 : k.pids.allocPid(), idle);
  }
}
