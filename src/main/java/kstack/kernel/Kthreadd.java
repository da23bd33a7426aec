package kstack.kernel;

import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * The kthreadd model (2.6.22+; kernel/kthread.c): kthread_create links a kthread_create_info into
 * kthread_create_list, wakes kthreadd and waits on a completion; kthreadd forks kthread() for it
 * with kernel_thread; kthread() completes, sleeps until the creator wakes it, then runs threadfn.
 * With the completions of kernel/sched/completion.c. A generation supplies kthread(),
 * kthread_create and the demo module's loader.
 */
abstract class Kthreadd implements KthreadModel {
  static final String SRC = Kthread.SRC;

  /** Whether create_kthread hands kernel_thread create->full_name (6.x) or no name. */
  private final boolean threadNamed;

  Kthreadd(boolean threadNamed) {
    this.threadNamed = threadNamed;
  }

  /** kthread(), the function each new kernel thread starts in. */
  abstract void buildKthread(Kernel k);

  /** kthread_create and what it calls, and the demo module that uses it. */
  abstract void buildCreate(Kernel k);

  abstract void buildModule(Kernel k);

  @Override
  public void build(Kernel k) {
    buildCompletion(k);
    buildKthreadd(k);
    buildKthread(k);
    buildCreate(k);
    buildModule(k);
  }

  static int ci(Kernel k, String f) {
    return Kthread.ci(k, f);
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

  private void buildKthreadd(Kernel k) {
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
    if (threadNamed) {
      c.call("pid = kernel_thread(kthread, create, create->full_name, CLONE_FS | CLONE_FILES | "
          + "SIGCHLD)", "kernel_thread", x -> new long[] {k.image.symbol("kthread"), x.local("create"),
              k.readPtr(x.local("create") + ci(k, "full_name")), flags});
    } else {
      c.call("pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)",
          "kernel_thread", x -> new long[] {k.image.symbol("kthread"), x.local("create"), flags});
    }
    k.image.add(c.retVoid().build());
  }
}
