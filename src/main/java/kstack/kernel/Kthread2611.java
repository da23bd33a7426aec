package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * Kernel threads at 2.6.11, which has no kthreadd (Feature.KTHREAD_HELPER_WQ; research §2.6):
 * kthread_create queues keventd_create_kthread on the kthread helper workqueue and waits on
 * create.done; that queue's worker thread forks kthread() with kernel_thread and waits on
 * create.started. Before helper_init has made the queue, kthread_create calls
 * keventd_create_kthread itself, so the boot's first kernel threads are children of the caller.
 * Also the completions of kernel/sched.c@2.6.11 and the workqueue machinery those threads run.
 */
final class Kthread2611 {
  enum L implements Local {
      __bind_cpu, __cwq, _create, action, arg, cpu, create, cwq, data, hcpu, len, name, namefmt,
      nfb, p, pid, ret, singlethread, threadfn, uargs, umod, work, wq
  }

  private Kthread2611() {}

  static final String KTHREAD = "kernel/kthread.c@2.6.11";
  static final String WQ = "kernel/workqueue.c@2.6.11";
  static final String SCHED = "kernel/sched.c@2.6.11";

  static void build(Kernel k) {
    Sched24.buildCompletion(k, SCHED + ":3010-3020", SCHED + ":3034-3053");
    buildKthread(k);
    buildCreate(k);
    buildWorkqueue(k);
    buildQueues(k);
    buildKsoftirqd(k);
  }

  private static int ci(Kernel k, String f) {
    return k.image.off("kthread_create_info", f);
  }

  private static int cwq(Kernel k, String f) {
    return k.image.off("cpu_workqueue_struct", f);
  }

  /** kthread() and keventd_create_kthread (kthread.c@2.6.11:67-120). */
  private static void buildKthread(Kernel k) {
    k.image.add(k.image.c("kthread", KTHREAD + ":67-103").params(L._create).locals(L.threadfn, L.data, L.ret)
        .step("kthread_exit_files(); threadfn = create->threadfn; data = create->data (copied: "
            + "create is on the creator's stack); block and flush all signals; "
            + "set_cpus_allowed(current, CPU_MASK_ALL)", x -> {
              long c = x.get(L._create);
              x.set(L.threadfn, k.readPtr(c + ci(k, "threadfn")));
              x.set(L.data, k.readPtr(c + ci(k, "data")));
            })
        .step("__set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .call("complete(&create->started)", "complete",
            Args.of(x -> x.get(L._create) + ci(k, "started")))
        .call("schedule(): sleep until kthread_create's caller wakes us", "schedule", Args.inPlace())
        .callVia("if (!kthread_should_stop()) ret = threadfn(data)", x -> x.get(L.threadfn),
            Args.of(x -> x.get(L.data)), L.ret)
        .ret("return 0: into kernel_thread_helper, which calls do_exit", x -> 0).build());
    k.image.add(k.image.c("keventd_create_kthread", KTHREAD + ":106-120").params(L._create).locals(L.pid)
        .callInto(L.pid, "pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)",
            "kernel_thread", Args.of(x -> k.image.symbol("kthread"), x -> x.get(L._create),
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES | Kernel.SIGCHLD))
        .call("wait_for_completion(&create->started)", "wait_for_completion",
            Args.of(x -> x.get(L._create) + ci(k, "started")))
        .step("create->result = find_task_by_pid(pid)", x -> k.writePtr(x.get(L._create)
            + ci(k, "result"), k.pids.findTask((int) x.get(L.pid))))
        .call("complete(&create->done)", "complete",
            Args.of(x -> x.get(L._create) + ci(k, "done")))
        .retVoid().build());
  }

  /**
   * kthread_create (kthread.c@2.6.11:122-143): create and its work_struct live on the caller's
   * stack; arg is the one argument the callers here give the name format.
   */
  private static void buildCreate(Kernel k) {
    int create = k.image.struct("kthread_create_info").size();
    int ws = k.image.off("work_struct", "func");
    k.image.add(k.image.c("kthread_create", KTHREAD + ":122-143").params(L.threadfn, L.data, L.namefmt, L.arg)
        .localArea(L.create, create).localArea(L.work, k.image.struct("work_struct").size())
        .step("struct kthread_create_info create; DECLARE_WORK(work, keventd_create_kthread, "
            + "&create) (both on this stack); create.threadfn = threadfn; create.data = data; "
            + "init_completion(&create.started); init_completion(&create.done)", x -> {
              long c = x.addr(L.create);
              k.mem.zero(c, create);
              k.writePtr(c + ci(k, "threadfn"), x.get(L.threadfn));
              k.writePtr(c + ci(k, "data"), x.get(L.data));
              long w = x.addr(L.work);
              k.mem.zero(w, k.image.struct("work_struct").size());
              k.listInit(w + k.image.off("work_struct", "entry"));
              k.writePtr(w + ws, k.image.symbol("keventd_create_kthread"));
              k.writePtr(w + k.image.off("work_struct", "data"), c);
            })
        .branchIf("queue", "if (!helper_wq)", x -> k.readPtr(k.image.symbol("helper_wq")) != 0)
        .call("  work.func(work.data): keventd_create_kthread(&create), here, before the "
            + "helper workqueue exists", "keventd_create_kthread",
            Args.of(x -> x.addr(L.create)))
        .jump("named", "else")
        .label("queue")
        .call("  queue_work(helper_wq, &work)", "queue_work",
            Args.of(x -> k.readPtr(k.image.symbol("helper_wq")), x -> x.addr(L.work)))
        .call("  wait_for_completion(&create.done)", "wait_for_completion",
            Args.of(x -> x.addr(L.create) + ci(k, "done")))
        .label("named")
        .step("vsnprintf(create.result->comm, sizeof(comm), namefmt, args)",
            x -> k.tasks.setComm(k.readPtr(x.addr(L.create) + ci(k, "result")),
                format(k, k.mem.readCString(x.get(L.namefmt), 32), x.get(L.arg))))
        .ret("return create.result", x -> k.readPtr(x.addr(L.create) + ci(k, "result")))
        .build());
  }

  /**
   * The formats the callers use: "%s", "ksoftirqd/%d" with one argument, and "%s/%d" with the
   * queue's name and the CPU, always 0 in this one-CPU profile.
   */
  static String format(Kernel k, String fmt, long arg) {
    String s = fmt.contains("%s") ? fmt.replace("%s", k.mem.readCString(arg, 16)) : fmt;
    return s.replace("%d", Long.toString(fmt.contains("%s") ? 0 : arg));
  }

  /** queue_work, worker_thread and run_workqueue (workqueue.c@2.6.11:77-110,145-215). */
  private static void buildWorkqueue(Kernel k) {
    k.image.add(k.image.c("queue_work", WQ + ":77-110").params(L.wq, L.work).locals(L.cwq)
        .step("cpu = get_cpu(); test_and_set_bit(0, &work->pending); cwq = wq->cpu_wq + cpu "
            + "(0 for a single-threaded queue)", x -> {
              k.writePtr(x.get(L.work) + k.image.off("work_struct", "pending"), 1);
              x.set(L.cwq, x.get(L.wq) + k.image.off("workqueue_struct", "cpu_wq"));
            })
        .step("__queue_work(cwq, work) [static, inline here]: work->wq_data = cwq; "
            + "list_add_tail(&work->entry, &cwq->worklist); cwq->insert_sequence++", x -> {
              long w = x.get(L.work);
              long c = x.get(L.cwq);
              k.writePtr(w + k.image.off("work_struct", "wq_data"), c);
              k.listAddTail(w + k.image.off("work_struct", "entry"), c + cwq(k, "worklist"));
              k.writePtr(c + cwq(k, "insert_sequence"), k.readPtr(c + cwq(k, "insert_sequence")) + 1);
            })
        .step("wake_up(&cwq->more_work): the worker thread", x -> k.rq.wakeAll(x.get(L.cwq)
            + cwq(k, "more_work"), x.cpu().id(), "queue_work()"))
        .ret("put_cpu(); return 1", x -> 1).build());
    k.image.add(k.image.c("worker_thread", WQ + ":182-215").params(L.__cwq)
        .step("current->flags |= PF_NOFREEZE; set_user_nice(current, -5); block and flush all "
            + "signals; SIGCHLD ignored (children autoreap)", x -> { })
        .step("set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .label("loop")
        .branchIf("busy", "while (!kthread_should_stop()) { add_wait_queue(&cwq->more_work, "
            + "&wait); if (list_empty(&cwq->worklist))", x -> !k.listEmpty(x.get(L.__cwq)
                + cwq(k, "worklist")))
        .step("    (no work: sleep on more_work)", x -> {
          long cur = k.current(x);
          k.rq.addWaiter(x.get(L.__cwq) + cwq(k, "more_work"), cur);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "its workqueue is empty"));
        })
        .call("    schedule()", "schedule", Args.inPlace())
        .label("busy")
        .step("  __set_current_state(TASK_RUNNING); remove_wait_queue(&cwq->more_work, &wait)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_RUNNING))
        .branchIf("idle", "  if (!list_empty(&cwq->worklist))",
            x -> k.listEmpty(x.get(L.__cwq) + cwq(k, "worklist")))
        .call("    run_workqueue(cwq) [static inline: its loop is this frame's]", "run_workqueue",
            Args.of(x -> x.get(L.__cwq)))
        .label("idle")
        .step("  set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .jump("loop", "}").build());
    // run_workqueue is static inline (workqueue.c@2.6.11:145-180); gcc may keep it out of line, as
    // the model does to show f(data) under it
    k.image.add(k.image.c("run_workqueue", WQ + ":145-180").params(L.cwq).locals(L.work)
        .label("loop")
        .branchIf("done", "while (!list_empty(&cwq->worklist)) {",
            x -> k.listEmpty(x.get(L.cwq) + cwq(k, "worklist")))
        .step("  work = list_entry(cwq->worklist.next, struct work_struct, entry); f = work->func; "
            + "data = work->data; list_del_init(cwq->worklist.next); clear_bit(0, &work->pending)",
            x -> {
              long node = k.readPtr(x.get(L.cwq) + cwq(k, "worklist"));
              k.listDelInit(node);
              long w = node - k.image.off("work_struct", "entry");
              k.writePtr(w + k.image.off("work_struct", "pending"), 0);
              x.set(L.work, w);
            })
        .callVia("  f(data)", x -> k.readPtr(x.get(L.work) + k.image.off("work_struct", "func")),
            Args.of(x -> k.readPtr(x.get(L.work) + k.image.off("work_struct", "data"))), null)
        .step("  cwq->remove_sequence++; wake_up(&cwq->work_done)", x -> { })
        .jump("loop", "}")
        .label("done")
        .retVoid().build());
  }

  /**
   * create_workqueue_thread and __create_workqueue (workqueue.c@2.6.11:279-330), and the three
   * queues the boot makes: events (init_workqueues, :515-519), khelper (usermodehelper_init,
   * kernel/kmod.c@2.6.11:252-256) and kthread (helper_init, kthread.c@2.6.11:194-201).
   */
  private static void buildQueues(Kernel k) {
    k.image.add(k.image.c("create_workqueue_thread", WQ + ":279-302").params(L.wq, L.cpu).locals(L.cwq, L.p)
        .step("cwq = wq->cpu_wq + cpu; cwq->wq = wq; cwq->thread = NULL; INIT_LIST_HEAD("
            + "&cwq->worklist); init_waitqueue_head(&cwq->more_work), (&cwq->work_done)", x -> {
              long c = x.get(L.wq) + k.image.off("workqueue_struct", "cpu_wq");
              x.set(L.cwq, c);
              k.writePtr(c + cwq(k, "wq"), x.get(L.wq));
              k.listInit(c + cwq(k, "worklist"));
            })
        .callInto(L.p, "p = kthread_create(worker_thread, cwq, \"%s\", wq->name) (single-threaded) "
            + "or (worker_thread, cwq, \"%s/%d\", wq->name, cpu)", "kthread_create", Args.computed(x -> {
              long wq = x.get(L.wq);
              boolean single = k.listEmpty(wq + k.image.off("workqueue_struct", "list"));
              return new long[] {k.image.symbol("worker_thread"), x.get(L.cwq),
                  k.image.symbol(single ? ".LC_s" : ".LC_s_d"), k.readPtr(wq + k.image.off("workqueue_struct",
                      "name"))};
            }))
        .step("cwq->thread = p", x -> k.writePtr(x.get(L.cwq) + cwq(k, "thread"), x.get(L.p)))
        .ret("return p", x -> x.get(L.p)).build());
    k.image.add(k.image.c("__create_workqueue", WQ + ":304-330").params(L.name, L.singlethread).locals(L.wq, L.p)
        .step("wq = kmalloc(sizeof(*wq), GFP_KERNEL); memset(wq, 0, sizeof(*wq)); wq->name = name; "
            + "a single-threaded queue: INIT_LIST_HEAD(&wq->list); otherwise list_add(&wq->list, "
            + "&workqueues) (one CPU: the queue's one thread is cpu 0's)", x -> {
              int size = k.image.struct("workqueue_struct").size();
              long wq = k.pages.kmalloc(size, "workqueue_struct");
              k.mem.zero(wq, size);
              k.writePtr(wq + k.image.off("workqueue_struct", "name"), x.get(L.name));
              long list = wq + k.image.off("workqueue_struct", "list");
              k.listInit(list);
              if (x.get(L.singlethread) == 0) {
                k.listAddTail(list, k.image.symbol("workqueues"));
              }
              x.set(L.wq, wq);
            })
        .callInto(L.p, "p = create_workqueue_thread(wq, 0)", "create_workqueue_thread",
            Args.of(x -> x.get(L.wq), x -> 0))
        .call("wake_up_process(p)", "wake_up_process", Args.of(x -> x.get(L.p)))
        .ret("return wq", x -> x.get(L.wq)).build());
    queue(k, "init_workqueues", WQ + ":515-519", "keventd_wq", ".LC_events", 0);
    queue(k, "usermodehelper_init", "kernel/kmod.c@2.6.11:252-256", "khelper_wq", ".LC_khelper", 1);
    queue(k, "helper_init", KTHREAD + ":194-201", "helper_wq", ".LC_kthread", 1);
  }

  private static void queue(Kernel k, String fn, String src, String var, String name, int single) {
    k.image.add(k.image.c(fn, src).params()
        .call(var + " = " + (single == 1 ? "create_singlethread_workqueue" : "create_workqueue")
            + "(\"" + literal(name) + "\") = __create_workqueue(name, "
            + single + ")", "__create_workqueue", Args.of(x -> k.image.symbol(name), x -> single))
        .step(var + " = the new queue", x -> k.writePtr(k.image.symbol(var), x.retval()))
        .ret("return 0", x -> 0).build());
  }

  /** spawn_ksoftirqd, cpu_callback and ksoftirqd (kernel/softirq.c@2.6.11:350-392,444-490). */
  private static void buildKsoftirqd(Kernel k) {
    k.image.add(k.image.c("spawn_ksoftirqd", "kernel/softirq.c@2.6.11:485-490").params()
        .call("cpu_callback(&cpu_nfb, CPU_UP_PREPARE, cpu)", "cpu_callback",
            Args.of(x -> 0, x -> 3, x -> 0))
        .call("cpu_callback(&cpu_nfb, CPU_ONLINE, cpu)", "cpu_callback", Args.of(x -> 0, x -> 2, x -> 0))
        .ret("register_cpu_notifier(&cpu_nfb); return 0", x -> 0).build());
    k.image.add(k.image.c("cpu_callback", "kernel/softirq.c@2.6.11:444-479").params(L.nfb, L.action, L.hcpu)
        .locals(L.p)
        .branchIf("online", "switch (action) { case CPU_UP_PREPARE:", x -> x.get(L.action) != 3)
        .callInto(L.p, "  p = kthread_create(ksoftirqd, hcpu, \"ksoftirqd/%d\", hotcpu)",
            "kthread_create", Args.of(x -> k.image.symbol("ksoftirqd"), x -> x.get(L.hcpu),
                x -> k.image.symbol(".LC_ksoftirqd"), x -> x.get(L.hcpu)))
        .step("  kthread_bind(p, hotcpu); per_cpu(ksoftirqd, hotcpu) = p; break",
            x -> k.writePtr(k.image.symbol("per_cpu__ksoftirqd"), x.get(L.p)))
        .ret("return NOTIFY_OK", x -> 1)
        .label("online")
        .call("case CPU_ONLINE: wake_up_process(per_cpu(ksoftirqd, hotcpu))", "wake_up_process",
            Args.of(x -> k.readPtr(k.image.symbol("per_cpu__ksoftirqd"))))
        .ret("return NOTIFY_OK", x -> 1).build());
    k.image.add(k.image.c("ksoftirqd", "kernel/softirq.c@2.6.11:350-392").params(L.__bind_cpu)
        .step("set_user_nice(current, 19); current->flags |= PF_NOFREEZE", x -> { })
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE); while (!kthread_should_stop()) { if "
            + "(!local_softirq_pending()) (none is pending when it runs here)", x -> {
              k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(k.current(x)),
                  "no softirq pending"));
            })
        .call("  schedule()", "schedule", Args.inPlace())
        .step("  __set_current_state(TASK_RUNNING); while (local_softirq_pending()) do_softirq()",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_RUNNING))
        .jump("loop", "}").build());
  }

  /**
   * 2.6.11 has no finit_module: init_module(umod, len, uargs) copies the image and the parameters
   * in load_module, then calls mod->init itself (kernel/module.c@2.6.11:1393,1736-1790).
   */
  static void buildLoader(Kernel k) {
    String mod = "kernel/module.c@2.6.11";
    k.image.add(Syscalls.entry(k, "init_module", mod + ":1736-1790", L.umod, L.len, L.uargs)
        .step("if (!capable(CAP_SYS_MODULE)) return -EPERM; down(&module_mutex)", x -> { })
        .call("mod = load_module(umod, len, uargs)", "load_module",
            Args.of(x -> x.get(L.umod), x -> x.get(L.len), x -> x.get(L.uargs)))
        .step("up(&module_mutex); notifier_call_chain(&module_notify_list, MODULE_STATE_COMING)",
            x -> { })
        .callVia("ret = mod->init()", x -> k.image.symbol("kstack_demo_init"), Args.inPlace(), null)
        .ret("mod->state = MODULE_STATE_LIVE; return 0", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod + ":1393-1720").params(L.umod, L.len, L.uargs)
        .step("copy_from_user(hdr, umod, len); lay out and relocate the module; "
            + "strndup_user(uargs): name=... (the simulator passes the parameter text in uargs)",
            x -> Kthread.copyParam(k, x, x.get(L.uargs)))
        .ret("return mod", x -> 0).build());
  }

  /** The string literals the boot's thread names come from, as gcc's .LC labels would hold them. */
  static final String[][] LITERALS = {{".LC_s", "%s"}, {".LC_s_d", "%s/%d"},
      {".LC_ksoftirqd", "ksoftirqd/%d"}, {".LC_events", "events"}, {".LC_khelper", "khelper"},
      {".LC_kthread", "kthread"}};

  static String literal(String label) {
    for (String[] l : LITERALS) {
      if (l[0].equals(label)) {
        return l[1];
      }
    }
    throw new IllegalArgumentException("no literal " + label);
  }
}
