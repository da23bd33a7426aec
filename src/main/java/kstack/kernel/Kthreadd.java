package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Local;
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
  enum L implements Local { create, state, timeout, unused, x }

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

  private void buildKthreadd(Kernel k) {
    long listOff = KthreadCreateInfoMember.list.off(k);
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
    if (threadNamed) {
      c.call("pid = kernel_thread(kthread, create, create->full_name, CLONE_FS | CLONE_FILES | "
          + "SIGCHLD)", "kernel_thread", Args.of(x -> k.image.symbol("kthread"), x -> x.get(L.create),
              x -> k.readPtr(x.get(L.create) + KthreadCreateInfoMember.full_name.off(k)), x -> flags));
    } else {
      c.call("pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)",
          "kernel_thread", Args.of(x -> k.image.symbol("kthread"), x -> x.get(L.create), x -> flags));
    }
    k.image.add(c.retVoid().build());
  }
}
