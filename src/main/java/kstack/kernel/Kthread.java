package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * kthreadd and kthread creation (kernel/kthread.c), completions (kernel/sched/completion.c), and a
 * demo module whose init function creates a kthread, as drivers do. The requester's completion lives
 * on its own stack (DECLARE_COMPLETION_ONSTACK), linked to kthreadd through kthread_create_list.
 */
final class Kthread {
  enum L implements Local {
      _create, args, buf, create, data, depth, done, fd, flags, fn, info, len, mod, namefmt, node,
      ret, self, state, task, threadfn, timeout, uargs, umod, unused, x
  }

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
    k.image.add(k.image.c("wait_for_completion_killable", src).params(L.x)
        .call("wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE)", "wait_for_common",
            Args.of(x -> x.get(L.x), x -> Long.MAX_VALUE, x -> 0x102))
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c("wait_for_completion", src).params(L.x)
        .call("wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE)", "wait_for_common",
            Args.of(x -> x.get(L.x), x -> Long.MAX_VALUE, x -> Kernel.TASK_UNINTERRUPTIBLE))
        .retVoid().build());
    k.image.add(k.image.c("wait_for_common", src).params(L.x, L.timeout, L.state)
        .label("again")
        .branchIf("done", "do_wait_for_common() [inline]: if (x->done) take it",
            x -> k.mem.read(x.get(L.x), 4) != 0)
        .step("__add_wait_queue_entry_tail_exclusive(&x->wait); __set_current_state(state)", x -> {
          long cur = k.current(x);
          k.tasks.setState(cur, Kernel.TASK_UNINTERRUPTIBLE);
          k.rq.addWaiter(x.get(L.x), cur);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "waiting for a completion"));
        })
        .call("timeout = schedule_timeout(timeout)", "schedule_timeout",
            Args.of(x -> x.get(L.timeout)))
        .jump("again", "loop until x->done")
        .label("done")
        .step("x->done--", x -> k.mem.write(x.get(L.x), 4, k.mem.read(x.get(L.x), 4) - 1))
        .ret("return timeout", x -> x.get(L.timeout)).build());
    k.image.add(k.image.c("schedule_timeout", "kernel/time/timer.c").params(L.timeout)
        .call("MAX_SCHEDULE_TIMEOUT: schedule()", "schedule", Args.inPlace())
        .ret("return timeout", x -> x.get(L.timeout)).build());
    k.image.add(k.image.c("complete", src).params(L.x)
        .step("x->done++; __wake_up_locked(&x->wait, TASK_NORMAL, 1)", x -> {
          k.mem.write(x.get(L.x), 4, k.mem.read(x.get(L.x), 4) + 1);
          k.rq.wakeAll(x.get(L.x), x.cpu().id(), "complete()");
        })
        .retVoid().build());
  }

  private static void buildKthreadd(Kernel k, boolean v6) {
    long listOff = ci(k, "list");
    k.image.add(k.image.c("kthreadd", SRC).params(L.unused).locals(L.create)
        .step("set_task_comm(current, \"kthreadd\"); ignore_signals(current); "
            + "current->flags |= PF_NOFREEZE", x -> k.tasks.setComm(k.current(x), "kthreadd"))
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .branchIf("work", "if (list_empty(&kthread_create_list))",
            x -> !k.listEmpty(k.image.symbol("kthread_create_list")))
        .step("  (nothing queued: sleep)", x -> k.timeline.emit(new Event.Blocked(x.cpu().id(),
            k.tasks.pid(k.current(x)), "kthread_create_list is empty")))
        .call("  schedule()", "schedule", Args.inPlace())
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
              x.set(L.create, node - listOff);
            })
        .call("  create_kthread(create)", "create_kthread", Args.of(x -> x.get(L.create)))
        .jump("drain", "}").build());
    RoutineBuilder c = k.image.c("create_kthread", SRC).params(L.create);
    long flags = Kernel.CLONE_FS | Kernel.CLONE_FILES | Kernel.SIGCHLD;
    if (v6) {
      c.call("pid = kernel_thread(kthread, create, create->full_name, CLONE_FS | CLONE_FILES | "
          + "SIGCHLD)", "kernel_thread", Args.of(x -> k.image.symbol("kthread"), x -> x.get(L.create),
              x -> k.readPtr(x.get(L.create) + ci(k, "full_name")), x -> flags));
    } else {
      c.call("pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)",
          "kernel_thread", Args.of(x -> k.image.symbol("kthread"), x -> x.get(L.create), x -> flags));
    }
    k.image.add(c.retVoid().build());
  }

  private static void buildKthread(Kernel k, boolean v6) {
    RoutineBuilder b = k.image.c("kthread", SRC).params(L._create)
        .locals(L.threadfn, L.data, L.done, L.ret)
        .step("threadfn = create->threadfn; data = create->data; "
            + (v6 ? "self = to_kthread(current)" : "self = kzalloc(sizeof(*self)); set_kthread_struct(self)"),
            x -> {
              long c = x.get(L._create);
              x.set(L.threadfn, k.readPtr(c + ci(k, "threadfn")));
              x.set(L.data, k.readPtr(c + ci(k, "data")));
            })
        .step("done = xchg(&create->done, NULL)", x -> {
          long c = x.get(L._create);
          x.set(L.done, k.readPtr(c + ci(k, "done")));
          k.writePtr(c + ci(k, "done"), 0);
        })
        .step("__set_current_state(TASK_UNINTERRUPTIBLE); create->result = current", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_UNINTERRUPTIBLE);
          k.writePtr(x.get(L._create) + ci(k, "result"), k.current(x));
        })
        .call(v6 ? "preempt_disable(); complete(done)" : "complete(done)", "complete",
            Args.of(x -> x.get(L.done)));
    if (v6) {
      b.call("schedule_preempt_disabled(): sleep until the creator wakes us", "schedule_preempt_disabled",
          Args.inPlace());
    } else {
      b.call("schedule(): sleep until the creator wakes us", "schedule", Args.inPlace());
    }
    k.image.add(b.step("cgroup_kthread_ready(); __kthread_parkme(self)", x -> { })
        .callVia("ret = threadfn(data)", x -> x.get(L.threadfn), Args.of(x -> x.get(L.data)),
            L.ret)
        .call(v6 ? "kthread_exit(ret) -> do_exit(0)" : "do_exit(ret)", "do_exit",
            Args.of(x -> v6 ? 0 : x.get(L.ret)))
        .retVoid().build());
  }

  /** kthread() at 2.6.32: it completes create->done, sleeps, then runs threadfn and do_exit(ret). */
  private static void buildKthread26(Kernel k) {
    k.image.add(k.image.c("kthread", SRC).params(L._create).locals(L.threadfn, L.data, L.ret)
        .localArea(L.self, 4 * k.t.word)
        .step("threadfn = create->threadfn; data = create->data; struct kthread self (on this "
            + "stack): self.should_stop = 0; init_completion(&self.exited); current->vfork_done = "
            + "&self.exited", x -> {
              long c = x.get(L._create);
              x.set(L.threadfn, k.readPtr(c + ci(k, "threadfn")));
              x.set(L.data, k.readPtr(c + ci(k, "data")));
            })
        .step("__set_current_state(TASK_UNINTERRUPTIBLE); create->result = current", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_UNINTERRUPTIBLE);
          k.writePtr(x.get(L._create) + ci(k, "result"), k.current(x));
        })
        .call("complete(&create->done)", "complete",
            Args.of(x -> x.get(L._create) + ci(k, "done")))
        .call("schedule(): sleep until the creator wakes us", "schedule", Args.inPlace())
        .callVia("ret = -EINTR; if (!self.should_stop) ret = threadfn(data)",
            x -> x.get(L.threadfn), Args.of(x -> x.get(L.data)), L.ret)
        .call("do_exit(ret): \"we can't just return, we must preserve self on stack\"", "do_exit",
            Args.of(x -> x.get(L.ret)))
        .retVoid().build());
  }

  /**
   * kthread_create (kernel/kthread.c@2.6.32): the kthread_create_info, with its completion, lives
   * on the caller's stack, linked into kthread_create_list for kthreadd.
   */
  private static void buildCreate26(Kernel k) {
    k.image.add(k.image.c("kthread_create", SRC).params(L.threadfn, L.data, L.namefmt)
        .localArea(L.create, k.image.struct("kthread_create_info").size())
        .step("struct kthread_create_info create (on this stack); create.threadfn = threadfn; "
            + "create.data = data; init_completion(&create.done)", x -> {
              long c = x.addr(L.create);
              k.writePtr(c + ci(k, "threadfn"), x.get(L.threadfn));
              k.writePtr(c + ci(k, "data"), x.get(L.data));
              k.mem.write(c + ci(k, "done"), 4, 0);
              k.listInit(c + ci(k, "done") + k.image.offPath("completion", "wait.head"));
            })
        .step("spin_lock(&kthread_create_lock); list_add_tail(&create.list, &kthread_create_list)",
            x -> k.listAddTail(x.addr(L.create) + ci(k, "list"),
                k.image.symbol("kthread_create_list")))
        .call("wake_up_process(kthreadd_task)", "wake_up_process",
            Args.of(x -> k.readPtr(k.image.symbol("kthreadd_task"))))
        .call("wait_for_completion(&create.done)", "wait_for_completion",
            Args.of(x -> x.addr(L.create) + ci(k, "done")))
        .step("vsnprintf(create.result->comm, sizeof(comm), namefmt, args); "
            + "sched_setscheduler_nocheck(); set_cpus_allowed_ptr()", x -> k.tasks.setComm(
                k.readPtr(x.addr(L.create) + ci(k, "result")),
                k.mem.readCString(x.get(L.namefmt), 16)))
        .ret("return create.result", x -> k.readPtr(x.addr(L.create) + ci(k, "result")))
        .build());
  }

  private static void buildCreate(Kernel k, boolean v6) {
    k.image.add(k.image.c("kthread_create_on_node", SRC).params(L.threadfn, L.data, L.node, L.namefmt)
        .call("va_start(args, namefmt); task = __kthread_create_on_node(threadfn, data, node, "
            + "namefmt, args)", "__kthread_create_on_node", Args.of(x -> x.get(L.threadfn),
                x -> x.get(L.data), x -> x.get(L.node), x -> x.get(L.namefmt), x -> 0))
        .ret("return task", Exec::retval).build());
    int size = k.image.struct("kthread_create_info").size();
    RoutineBuilder b = k.image.c("__kthread_create_on_node", SRC)
        .params(L.threadfn, L.data, L.node, L.namefmt, L.args).locals(L.create, L.task)
        .localArea(L.done, k.image.struct("completion").size())
        .step("DECLARE_COMPLETION_ONSTACK(done): done.done = 0, an empty wait list", x -> {
          long d = x.addr(L.done);
          k.mem.write(d, 4, 0);
          k.listInit(d + k.image.offPath("completion", "wait.head"));
        })
        .step("create = kmalloc(sizeof(*create)); create->threadfn = threadfn; create->data = data; "
            + "create->node = node; create->done = &done"
            + (v6 ? "; create->full_name = kvasprintf(namefmt, args)" : ""), x -> {
              long c = k.pages.kmalloc(size, "kthread_create_info");
              k.writePtr(c + ci(k, "threadfn"), x.get(L.threadfn));
              k.writePtr(c + ci(k, "data"), x.get(L.data));
              k.mem.write(c + ci(k, "node"), 4, x.get(L.node));
              k.writePtr(c + ci(k, "done"), x.addr(L.done));
              if (v6) {
                k.writePtr(c + ci(k, "full_name"), x.get(L.namefmt));
              }
              x.set(L.create, c);
            })
        .step("spin_lock(&kthread_create_lock); list_add_tail(&create->list, &kthread_create_list)",
            x -> k.listAddTail(x.get(L.create) + ci(k, "list"), k.image.symbol("kthread_create_list")))
        .call("wake_up_process(kthreadd_task)", "wake_up_process",
            Args.of(x -> k.readPtr(k.image.symbol("kthreadd_task"))))
        .call("wait_for_completion_killable(&done): sleep until kthread() has started",
            "wait_for_completion_killable", Args.of(x -> x.addr(L.done)))
        .step("task = create->result", x -> x.set(L.task,
            k.readPtr(x.get(L.create) + ci(k, "result"))));
    if (!v6) {
      b.step("vsnprintf(name, namefmt, args); set_task_comm(task, name)",
          x -> k.tasks.setComm(x.get(L.task), k.mem.readCString(x.get(L.namefmt), 16)));
    }
    k.image.add(b.ret("kfree(create); return task", x -> x.get(L.task)).build());
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
    k.image.add(k.image.c("kstack_demo_init", src).params().locals(L.task)
        .branchIf("thread", "if (recurse == 0)  /* module parameter: recurse=N */",
            x -> recurseParam(k) == 0)
        .call("kstack_demo_recurse(recurse)", "kstack_demo_recurse",
            Args.of(x -> recurseParam(k)))
        .ret("return 0", x -> 0)
        .label("thread")
        .callInto(L.task, k.profile.has(Feature.FORK_PASSES_REGS)
            ? "task = kthread_create(kstack_demo_thread, NULL, \"%s\", name)"
            : "task = kthread_create_on_node(kstack_demo_thread, NULL, NUMA_NO_NODE, \"%s\", name)",
            k.profile.has(Feature.FORK_PASSES_REGS) ? "kthread_create" : "kthread_create_on_node",
            Args.computed(x -> k.profile.has(Feature.KTHREAD_HELPER_WQ)
                // 2.6.11's kthread_create formats the name itself: "%s" and the name
                ? new long[] {k.image.symbol("kstack_demo_thread"), 0, k.image.symbol(".LC_s"),
                    k.image.symbol("kstack_demo_name")}
                : k.profile.has(Feature.FORK_PASSES_REGS)
                ? new long[] {k.image.symbol("kstack_demo_thread"), 0, k.image.symbol("kstack_demo_name")}
                : new long[] {k.image.symbol("kstack_demo_thread"), 0, -1, k.image.symbol("kstack_demo_name")}))
        .call("wake_up_process(task)", "wake_up_process", Args.of(x -> x.get(L.task)))
        .ret("return 0", x -> 0).build());
    buildRecurse(k);
    buildThreadAndLoader(k, src);
  }

  /** The module's recursion: 256-byte frames, depth deep (every generation). */
  static void buildRecurse(Kernel k) {
    String src = "kstack_demo module (the simulator's own)";
    k.image.add(k.image.c("kstack_demo_recurse", src).params(L.depth).localArea(L.buf, 240)
        .step("memset(buf, depth, sizeof(buf)): a 256-byte frame that really uses its stack",
            x -> {
              long b = x.addr(L.buf);
              for (int i = 0; i < 240; i += x.word()) {
                x.write(b + i, 0x0101010101010101L * (x.get(L.depth) & 0xff | 1));
              }
            })
        .branchIf("bottom", "if (depth == 0) return 0", x -> x.get(L.depth) == 0)
        .call("return kstack_demo_recurse(depth - 1) + buf[0]", "kstack_demo_recurse",
            Args.of(x -> x.get(L.depth) - 1))
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
    k.image.add(k.image.c("kstack_demo_thread", src).params(L.data)
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE) (wait for work)", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(k.current(x)), "kthread idle"));
        })
        .call("schedule()", "schedule", Args.inPlace())
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
    k.image.add(Syscalls.entry(k, "finit_module", mod, L.fd, L.uargs, L.flags)
        .call("load_module(&info, uargs, flags)", "load_module",
            Args.of(x -> 0, x -> x.get(L.uargs), x -> x.get(L.flags)))
        .ret("return err", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod).params(L.info, L.uargs, L.flags)
        .step("layout and relocate the module; parse_args(uargs): name=...",
            x -> copyParam(k, x, x.get(L.uargs)))
        .call("return do_init_module(mod)", "do_init_module", Args.of(x -> 0))
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("do_init_module", mod).params(L.mod)
        .call("ret = do_one_initcall(mod->init)", "do_one_initcall",
            Args.of(x -> k.image.symbol("kstack_demo_init")))
        .ret("return ret", Exec::retval).build());
    buildDoOneInitcall(k);
  }

  private static void buildDoOneInitcall(Kernel k) {
    k.image.add(k.image.c("do_one_initcall", "init/main.c").params(L.fn)
        .callVia("ret = fn()", x -> x.get(L.fn), Args.inPlace(), null)
        .ret("return ret", Exec::retval).build());
  }

  /**
   * 2.6.32 has no finit_module (3.8) and no do_init_module (3.7): sys_init_module runs load_module,
   * then starts the module with do_one_initcall(mod->init) itself (kernel/module.c@2.6.32.67:
   * 2099,2603-2663).
   */
  private static void buildLoader26(Kernel k, String mod) {
    k.image.add(Syscalls.entry(k, "init_module", mod, L.umod, L.len, L.uargs)
        .step("capable(CAP_SYS_MODULE); mutex_lock_interruptible(&module_mutex)", x -> { })
        .call("mod = load_module(umod, len, uargs)", "load_module",
            Args.of(x -> x.get(L.umod), x -> x.get(L.len), x -> x.get(L.uargs)))
        .step("mutex_unlock(&module_mutex); blocking_notifier_call_chain(MODULE_STATE_COMING); "
            + "do_mod_ctors(mod)", x -> { })
        .call("ret = do_one_initcall(mod->init)", "do_one_initcall",
            Args.of(x -> k.image.symbol("kstack_demo_init")))
        .ret("mod->state = MODULE_STATE_LIVE; wake_up(&module_wq); return 0", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod).params(L.umod, L.len, L.uargs)
        .step("copy_from_user(hdr, umod, len); lay out and relocate the module; "
            + "strndup_user(uargs): name=... (the simulator passes the parameter text in uargs)",
            x -> copyParam(k, x, x.get(L.uargs)))
        .ret("return mod", x -> 0).build());
    buildDoOneInitcall(k);
  }
}
