package kstack.kernel;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * kthreadd and kthread creation (kernel/kthread.c), completions (kernel/sched/completion.c), and a
 * demo module whose init function creates a kthread, as drivers do. The requester's completion lives
 * on its own stack (DECLARE_COMPLETION_ONSTACK), linked to kthreadd through kthread_create_list.
 */
final class Kthread {
  private Kthread() {}

  static final String SRC = "kernel/kthread.c";

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    if (k.profile.has(Feature.KTHREAD_HELPER_WQ)) {
      Kthread2611.build(k);
      buildModule(k);
      return;
    }
    buildCompletion(k);
    buildKthreadd(k, v6);
    if (k.profile.has(Feature.FORK_PASSES_REGS)) {
      buildKthread26(k);
      buildCreate26(k);
    } else {
      buildKthread(k, v6);
      buildCreate(k, v6);
    }
    buildModule(k);
  }

  static int ci(Kernel k, String f) {
    return k.image.off("kthread_create_info", f);
  }

  private static void buildCompletion(Kernel k) {
    String src = "kernel/sched/completion.c";
    // wait_for_common is a static function; do_wait_for_common and __wait_for_common are static
    // inline, so they have no frames of their own.
    k.image.add(k.image.c("wait_for_completion_killable", src).params("x")
        .call("wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE)", "wait_for_common",
            x -> new long[] {x.local("x"), Long.MAX_VALUE, 0x102})
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c("wait_for_completion", src).params("x")
        .call("wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE)", "wait_for_common",
            x -> new long[] {x.local("x"), Long.MAX_VALUE, Kernel.TASK_UNINTERRUPTIBLE})
        .retVoid().build());
    k.image.add(k.image.c("wait_for_common", src).params("x", "timeout", "state")
        .label("again")
        .branchIf("done", "do_wait_for_common() [inline]: if (x->done) take it",
            x -> k.mem.read(x.local("x"), 4) != 0)
        .step("__add_wait_queue_entry_tail_exclusive(&x->wait); __set_current_state(state)", x -> {
          long cur = k.current(x);
          k.tasks.setState(cur, Kernel.TASK_UNINTERRUPTIBLE);
          k.rq.addWaiter(x.local("x"), cur);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "waiting for a completion"));
        })
        .call("timeout = schedule_timeout(timeout)", "schedule_timeout",
            x -> new long[] {x.local("timeout")})
        .jump("again", "loop until x->done")
        .label("done")
        .step("x->done--", x -> k.mem.write(x.local("x"), 4, k.mem.read(x.local("x"), 4) - 1))
        .ret("return timeout", x -> x.local("timeout")).build());
    k.image.add(k.image.c("schedule_timeout", "kernel/time/timer.c").params("timeout")
        .call("MAX_SCHEDULE_TIMEOUT: schedule()", "schedule", null)
        .ret("return timeout", x -> x.local("timeout")).build());
    k.image.add(k.image.c("complete", src).params("x")
        .step("x->done++; __wake_up_locked(&x->wait, TASK_NORMAL, 1)", x -> {
          k.mem.write(x.local("x"), 4, k.mem.read(x.local("x"), 4) + 1);
          k.rq.wakeAll(x.local("x"), x.cpu().id(), "complete()");
        })
        .retVoid().build());
  }

  private static void buildKthreadd(Kernel k, boolean v6) {
    long listOff = ci(k, "list");
    k.image.add(k.image.c("kthreadd", SRC).params("unused").locals("create")
        .step("set_task_comm(current, \"kthreadd\"); ignore_signals(current); "
            + "current->flags |= PF_NOFREEZE", x -> k.tasks.setComm(k.current(x), "kthreadd"))
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .branchIf("work", "if (list_empty(&kthread_create_list))",
            x -> !k.listEmpty(k.image.symbol("kthread_create_list")))
        .step("  (nothing queued: sleep)", x -> k.timeline.emit(new Event.Blocked(x.cpu().id(),
            k.tasks.pid(k.current(x)), "kthread_create_list is empty")))
        .call("  schedule()", "schedule", null)
        .label("work")
        .step("__set_current_state(TASK_RUNNING); spin_lock(&kthread_create_lock)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_RUNNING))
        .label("drain")
        .branchIf("loop", "while (!list_empty(&kthread_create_list)) {",
            x -> k.listEmpty(k.image.symbol("kthread_create_list")))
        .step("  create = list_entry(kthread_create_list.next, ...); list_del_init(&create->list)",
            x -> {
              long node = k.readPtr(k.image.symbol("kthread_create_list"));
              k.listDelInit(node);
              x.setLocal("create", node - listOff);
            })
        .call("  create_kthread(create)", "create_kthread", x -> new long[] {x.local("create")})
        .jump("drain", "}").build());
    RoutineBuilder c = k.image.c("create_kthread", SRC).params("create");
    long flags = Kernel.CLONE_FS | Kernel.CLONE_FILES | Kernel.SIGCHLD;
    if (v6) {
      c.call("pid = kernel_thread(kthread, create, create->full_name, CLONE_FS | CLONE_FILES | "
          + "SIGCHLD)", "kernel_thread", x -> new long[] {k.image.symbol("kthread"), x.local("create"),
              k.readPtr(x.local("create") + ci(k, "full_name")), flags});
    } else {
      c.call("pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)",
          "kernel_thread", x -> new long[] {k.image.symbol("kthread"), x.local("create"), flags});
    }
    k.image.add(c.retVoid().build());
  }

  private static void buildKthread(Kernel k, boolean v6) {
    RoutineBuilder b = k.image.c("kthread", SRC).params("_create")
        .locals("threadfn", "data", "done", "ret")
        .step("threadfn = create->threadfn; data = create->data; "
            + (v6 ? "self = to_kthread(current)" : "self = kzalloc(sizeof(*self)); set_kthread_struct(self)"),
            x -> {
              long c = x.local("_create");
              x.setLocal("threadfn", k.readPtr(c + ci(k, "threadfn")));
              x.setLocal("data", k.readPtr(c + ci(k, "data")));
            })
        .step("done = xchg(&create->done, NULL)", x -> {
          long c = x.local("_create");
          x.setLocal("done", k.readPtr(c + ci(k, "done")));
          k.writePtr(c + ci(k, "done"), 0);
        })
        .step("__set_current_state(TASK_UNINTERRUPTIBLE); create->result = current", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_UNINTERRUPTIBLE);
          k.writePtr(x.local("_create") + ci(k, "result"), k.current(x));
        })
        .call(v6 ? "preempt_disable(); complete(done)" : "complete(done)", "complete",
            x -> new long[] {x.local("done")});
    if (v6) {
      b.call("schedule_preempt_disabled(): sleep until the creator wakes us", "schedule_preempt_disabled",
          null);
    } else {
      b.call("schedule(): sleep until the creator wakes us", "schedule", null);
    }
    k.image.add(b.step("cgroup_kthread_ready(); __kthread_parkme(self)", x -> { })
        .callVia("ret = threadfn(data)", x -> x.local("threadfn"), x -> new long[] {x.local("data")},
            "ret")
        .call(v6 ? "kthread_exit(ret) -> do_exit(0)" : "do_exit(ret)", "do_exit",
            x -> new long[] {v6 ? 0 : x.local("ret")})
        .retVoid().build());
  }

  /** kthread() at 2.6.32: it completes create->done, sleeps, then runs threadfn and do_exit(ret). */
  private static void buildKthread26(Kernel k) {
    k.image.add(k.image.c("kthread", SRC).params("_create").locals("threadfn", "data", "ret")
        .localArea("self", 4 * k.t.word)
        .step("threadfn = create->threadfn; data = create->data; struct kthread self (on this "
            + "stack): self.should_stop = 0; init_completion(&self.exited); current->vfork_done = "
            + "&self.exited", x -> {
              long c = x.local("_create");
              x.setLocal("threadfn", k.readPtr(c + ci(k, "threadfn")));
              x.setLocal("data", k.readPtr(c + ci(k, "data")));
            })
        .step("__set_current_state(TASK_UNINTERRUPTIBLE); create->result = current", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_UNINTERRUPTIBLE);
          k.writePtr(x.local("_create") + ci(k, "result"), k.current(x));
        })
        .call("complete(&create->done)", "complete",
            x -> new long[] {x.local("_create") + ci(k, "done")})
        .call("schedule(): sleep until the creator wakes us", "schedule", null)
        .callVia("ret = -EINTR; if (!self.should_stop) ret = threadfn(data)",
            x -> x.local("threadfn"), x -> new long[] {x.local("data")}, "ret")
        .call("do_exit(ret): \"we can't just return, we must preserve self on stack\"", "do_exit",
            x -> new long[] {x.local("ret")})
        .retVoid().build());
  }

  /**
   * kthread_create (kernel/kthread.c@2.6.32): the kthread_create_info, with its completion, lives
   * on the caller's stack, linked into kthread_create_list for kthreadd.
   */
  private static void buildCreate26(Kernel k) {
    k.image.add(k.image.c("kthread_create", SRC).params("threadfn", "data", "namefmt")
        .localArea("create", k.image.struct("kthread_create_info").size())
        .step("struct kthread_create_info create (on this stack); create.threadfn = threadfn; "
            + "create.data = data; init_completion(&create.done)", x -> {
              long c = x.localAddress("create");
              k.writePtr(c + ci(k, "threadfn"), x.local("threadfn"));
              k.writePtr(c + ci(k, "data"), x.local("data"));
              k.mem.write(c + ci(k, "done"), 4, 0);
              k.listInit(c + ci(k, "done") + k.image.offPath("completion", "wait.head"));
            })
        .step("spin_lock(&kthread_create_lock); list_add_tail(&create.list, &kthread_create_list)",
            x -> k.listAddTail(x.localAddress("create") + ci(k, "list"),
                k.image.symbol("kthread_create_list")))
        .call("wake_up_process(kthreadd_task)", "wake_up_process",
            x -> new long[] {k.readPtr(k.image.symbol("kthreadd_task"))})
        .call("wait_for_completion(&create.done)", "wait_for_completion",
            x -> new long[] {x.localAddress("create") + ci(k, "done")})
        .step("vsnprintf(create.result->comm, sizeof(comm), namefmt, args); "
            + "sched_setscheduler_nocheck(); set_cpus_allowed_ptr()", x -> k.tasks.setComm(
                k.readPtr(x.localAddress("create") + ci(k, "result")),
                k.mem.readCString(x.local("namefmt"), 16)))
        .ret("return create.result", x -> k.readPtr(x.localAddress("create") + ci(k, "result")))
        .build());
  }

  private static void buildCreate(Kernel k, boolean v6) {
    k.image.add(k.image.c("kthread_create_on_node", SRC).params("threadfn", "data", "node", "namefmt")
        .call("va_start(args, namefmt); task = __kthread_create_on_node(threadfn, data, node, "
            + "namefmt, args)", "__kthread_create_on_node", x -> new long[] {x.local("threadfn"),
                x.local("data"), x.local("node"), x.local("namefmt"), 0})
        .ret("return task", Exec::retval).build());
    int size = k.image.struct("kthread_create_info").size();
    RoutineBuilder b = k.image.c("__kthread_create_on_node", SRC)
        .params("threadfn", "data", "node", "namefmt", "args").locals("create", "task")
        .localArea("done", k.image.struct("completion").size())
        .step("DECLARE_COMPLETION_ONSTACK(done): done.done = 0, an empty wait list", x -> {
          long d = x.localAddress("done");
          k.mem.write(d, 4, 0);
          k.listInit(d + k.image.offPath("completion", "wait.head"));
        })
        .step("create = kmalloc(sizeof(*create)); create->threadfn = threadfn; create->data = data; "
            + "create->node = node; create->done = &done"
            + (v6 ? "; create->full_name = kvasprintf(namefmt, args)" : ""), x -> {
              long c = k.pages.kmalloc(size, "kthread_create_info");
              k.writePtr(c + ci(k, "threadfn"), x.local("threadfn"));
              k.writePtr(c + ci(k, "data"), x.local("data"));
              k.mem.write(c + ci(k, "node"), 4, x.local("node"));
              k.writePtr(c + ci(k, "done"), x.localAddress("done"));
              if (v6) {
                k.writePtr(c + ci(k, "full_name"), x.local("namefmt"));
              }
              x.setLocal("create", c);
            })
        .step("spin_lock(&kthread_create_lock); list_add_tail(&create->list, &kthread_create_list)",
            x -> k.listAddTail(x.local("create") + ci(k, "list"), k.image.symbol("kthread_create_list")))
        .call("wake_up_process(kthreadd_task)", "wake_up_process",
            x -> new long[] {k.readPtr(k.image.symbol("kthreadd_task"))})
        .call("wait_for_completion_killable(&done): sleep until kthread() has started",
            "wait_for_completion_killable", x -> new long[] {x.localAddress("done")})
        .step("task = create->result", x -> x.setLocal("task",
            k.readPtr(x.local("create") + ci(k, "result"))));
    if (!v6) {
      b.step("vsnprintf(name, namefmt, args); set_task_comm(task, name)",
          x -> k.tasks.setComm(x.local("task"), k.mem.readCString(x.local("namefmt"), 16)));
    }
    k.image.add(b.ret("kfree(create); return task", x -> x.local("task")).build());
  }

  /**
   * kstack_demo: a module (not part of Linux) whose init does what drivers do: create a kthread
   * with kthread_create_on_node and wake it. Its thread sleeps in TASK_INTERRUPTIBLE, waiting for
   * work that never comes.
   */
  /** The module's recurse=N parameter, parsed by load_module into kstack_demo_name. */
  static long recurseParam(Kernel k) {
    String p = k.mem.readCString(k.image.symbol("kstack_demo_name"), 16);
    return p.startsWith("recurse=") ? Long.parseLong(p.substring(8)) : 0;
  }

  private static void buildModule(Kernel k) {
    String src = "kstack_demo module (the simulator's own)";
    k.image.add(k.image.c("kstack_demo_init", src).params().locals("task")
        .branchIf("thread", "if (recurse == 0)  /* module parameter: recurse=N */",
            x -> recurseParam(k) == 0)
        .call("kstack_demo_recurse(recurse)", "kstack_demo_recurse",
            x -> new long[] {recurseParam(k)})
        .ret("return 0", x -> 0)
        .label("thread")
        .callInto("task", k.profile.has(Feature.FORK_PASSES_REGS)
            ? "task = kthread_create(kstack_demo_thread, NULL, \"%s\", name)"
            : "task = kthread_create_on_node(kstack_demo_thread, NULL, NUMA_NO_NODE, \"%s\", name)",
            k.profile.has(Feature.FORK_PASSES_REGS) ? "kthread_create" : "kthread_create_on_node",
            x -> k.profile.has(Feature.KTHREAD_HELPER_WQ)
                // 2.6.11's kthread_create formats the name itself: "%s" and the name
                ? new long[] {k.image.symbol("kstack_demo_thread"), 0, k.image.symbol(".LC_s"),
                    k.image.symbol("kstack_demo_name")}
                : k.profile.has(Feature.FORK_PASSES_REGS)
                ? new long[] {k.image.symbol("kstack_demo_thread"), 0, k.image.symbol("kstack_demo_name")}
                : new long[] {k.image.symbol("kstack_demo_thread"), 0, -1, k.image.symbol("kstack_demo_name")})
        .call("wake_up_process(task)", "wake_up_process", x -> new long[] {x.local("task")})
        .ret("return 0", x -> 0).build());
    buildRecurse(k);
    buildThreadAndLoader(k, src);
  }

  /** The module's recursion: 256-byte frames, depth deep (every generation). */
  static void buildRecurse(Kernel k) {
    String src = "kstack_demo module (the simulator's own)";
    k.image.add(k.image.c("kstack_demo_recurse", src).params("depth").localArea("buf", 240)
        .step("memset(buf, depth, sizeof(buf)): a 256-byte frame that really uses its stack",
            x -> {
              long b = x.localAddress("buf");
              for (int i = 0; i < 240; i += x.word()) {
                x.write(b + i, 0x0101010101010101L * (x.local("depth") & 0xff | 1));
              }
            })
        .branchIf("bottom", "if (depth == 0) return 0", x -> x.local("depth") == 0)
        .call("return kstack_demo_recurse(depth - 1) + buf[0]", "kstack_demo_recurse",
            x -> new long[] {x.local("depth") - 1})
        .label("bottom")
        .ret("return", x -> 0).build());
  }

  /** Copies the module's parameter text (the thread's name or recurse=N) into kstack_demo_name. */
  static void copyParam(Kernel k, Exec x, long user) {
    byte[] name = new byte[16];
    for (int i = 0; i < 15; i++) {
      byte b = (byte) x.read(user + i, 1);
      if (b == 0) {
        break;
      }
      name[i] = b;
    }
    k.mem.writeBytes(k.image.symbol("kstack_demo_name"), name);
  }

  private static void buildThreadAndLoader(Kernel k, String src) {
    k.image.add(k.image.c("kstack_demo_thread", src).params("data")
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE) (wait for work)", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(k.current(x)), "kthread idle"));
        })
        .call("schedule()", "schedule", null)
        .jump("loop", "while (!kthread_should_stop())").build());
    if (k.profile.has(Feature.KTHREAD_HELPER_WQ)) {
      Kthread2611.buildLoader(k);
      return;
    }
    String mod = "kernel/module.c";
    if (k.initModuleTakesUargs()) {
      buildLoader26(k, mod);
      return;
    }
    k.image.add(Syscalls.entry(k, "finit_module", mod, "fd", "uargs", "flags")
        .call("load_module(&info, uargs, flags)", "load_module",
            x -> new long[] {0, x.local("uargs"), x.local("flags")})
        .ret("return err", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod).params("info", "uargs", "flags")
        .step("layout and relocate the module; parse_args(uargs): name=...",
            x -> copyParam(k, x, x.local("uargs")))
        .call("return do_init_module(mod)", "do_init_module", x -> new long[] {0})
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("do_init_module", mod).params("mod")
        .call("ret = do_one_initcall(mod->init)", "do_one_initcall",
            x -> new long[] {k.image.symbol("kstack_demo_init")})
        .ret("return ret", Exec::retval).build());
    buildDoOneInitcall(k);
  }

  private static void buildDoOneInitcall(Kernel k) {
    k.image.add(k.image.c("do_one_initcall", "init/main.c").params("fn")
        .callVia("ret = fn()", x -> x.local("fn"), null, null)
        .ret("return ret", Exec::retval).build());
  }

  /**
   * 2.6.32 has no finit_module (3.8) and no do_init_module (3.7): sys_init_module runs load_module,
   * then starts the module with do_one_initcall(mod->init) itself (kernel/module.c@2.6.32.67:
   * 2099,2603-2663).
   */
  private static void buildLoader26(Kernel k, String mod) {
    k.image.add(Syscalls.entry(k, "init_module", mod, "umod", "len", "uargs")
        .step("capable(CAP_SYS_MODULE); mutex_lock_interruptible(&module_mutex)", x -> { })
        .call("mod = load_module(umod, len, uargs)", "load_module",
            x -> new long[] {x.local("umod"), x.local("len"), x.local("uargs")})
        .step("mutex_unlock(&module_mutex); blocking_notifier_call_chain(MODULE_STATE_COMING); "
            + "do_mod_ctors(mod)", x -> { })
        .call("ret = do_one_initcall(mod->init)", "do_one_initcall",
            x -> new long[] {k.image.symbol("kstack_demo_init")})
        .ret("mod->state = MODULE_STATE_LIVE; wake_up(&module_wq); return 0", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod).params("umod", "len", "uargs")
        .step("copy_from_user(hdr, umod, len); lay out and relocate the module; "
            + "strndup_user(uargs): name=... (the simulator passes the parameter text in uargs)",
            x -> copyParam(k, x, x.local("uargs")))
        .ret("return mod", x -> 0).build());
    buildDoOneInitcall(k);
  }
}
