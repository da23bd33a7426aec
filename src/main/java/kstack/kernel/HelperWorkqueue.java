package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.trace.Event;

/**
 * The workqueues of 2.6.11 that its kthread model runs on (kernel/workqueue.c@2.6.11; research
 * §2.6): queue_work, the worker thread and run_workqueue, and the three single-CPU queues the
 * boot creates (events, khelper, and kthread, {@link Kthread2611}'s helper queue).
 */
final class HelperWorkqueue {
  enum L implements Local { __cwq, cpu, cwq, name, p, singlethread, work, wq }

  private HelperWorkqueue() {}

  static final String WQ = "kernel/workqueue.c@2.6.11";

  static void build(Kernel k) {
    buildWorkqueue(k);
    buildQueues(k);
  }

  /** queue_work, worker_thread and run_workqueue (workqueue.c@2.6.11:77-110,145-215). */
  private static void buildWorkqueue(Kernel k) {
    k.image.add(k.image.c("queue_work", WQ + ":77-110").params(L.wq, L.work).locals(L.cwq)
        .step("cpu = get_cpu(); test_and_set_bit(0, &work->pending); cwq = wq->cpu_wq + cpu "
            + "(0 for a single-threaded queue)", x -> {
              k.writePtr(x.get(L.work) + WorkStruct.pending.off(k), 1);
              x.set(L.cwq, x.get(L.wq) + WorkqueueStruct.cpu_wq.off(k));
            })
        .step("__queue_work(cwq, work) [static, inline here]: work->wq_data = cwq; "
            + "list_add_tail(&work->entry, &cwq->worklist); cwq->insert_sequence++", x -> {
              long w = x.get(L.work);
              long c = x.get(L.cwq);
              k.writePtr(w + WorkStruct.wq_data.off(k), c);
              k.listAddTail(w + WorkStruct.entry.off(k), c + CpuWorkqueueStruct.worklist.off(k));
              k.writePtr(c + CpuWorkqueueStruct.insert_sequence.off(k), k.readPtr(c + CpuWorkqueueStruct.insert_sequence.off(k)) + 1);
            })
        .step("wake_up(&cwq->more_work): the worker thread", x -> k.rq.wakeAll(x.get(L.cwq)
            + CpuWorkqueueStruct.more_work.off(k), x.cpu().id(), "queue_work()"))
        .ret("put_cpu(); return 1", x -> 1).build());
    k.image.add(k.image.c("worker_thread", WQ + ":182-215").params(L.__cwq)
        .step("current->flags |= PF_NOFREEZE; set_user_nice(current, -5); block and flush all "
            + "signals; SIGCHLD ignored (children autoreap)", x -> { })
        .step("set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .label("loop")
        .branchIf("busy", "while (!kthread_should_stop()) { add_wait_queue(&cwq->more_work, "
            + "&wait); if (list_empty(&cwq->worklist))", x -> !k.listEmpty(x.get(L.__cwq)
                + CpuWorkqueueStruct.worklist.off(k)))
        .step("    (no work: sleep on more_work)", x -> {
          long cur = k.current(x);
          k.rq.addWaiter(x.get(L.__cwq) + CpuWorkqueueStruct.more_work.off(k), cur);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "its workqueue is empty"));
        })
        .call("    schedule()", "schedule", Args.inPlace())
        .label("busy")
        .step("  __set_current_state(TASK_RUNNING); remove_wait_queue(&cwq->more_work, &wait)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_RUNNING))
        .branchIf("idle", "  if (!list_empty(&cwq->worklist))",
            x -> k.listEmpty(x.get(L.__cwq) + CpuWorkqueueStruct.worklist.off(k)))
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
            x -> k.listEmpty(x.get(L.cwq) + CpuWorkqueueStruct.worklist.off(k)))
        .step("  work = list_entry(cwq->worklist.next, struct work_struct, entry); f = work->func; "
            + "data = work->data; list_del_init(cwq->worklist.next); clear_bit(0, &work->pending)",
            x -> {
              long node = k.readPtr(x.get(L.cwq) + CpuWorkqueueStruct.worklist.off(k));
              k.listDelInit(node);
              long w = node - WorkStruct.entry.off(k);
              k.writePtr(w + WorkStruct.pending.off(k), 0);
              x.set(L.work, w);
            })
        .callVia("  f(data)", x -> k.readPtr(x.get(L.work) + WorkStruct.func.off(k)),
            Args.of(x -> k.readPtr(x.get(L.work) + WorkStruct.data.off(k))), null)
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
              long c = x.get(L.wq) + WorkqueueStruct.cpu_wq.off(k);
              x.set(L.cwq, c);
              k.writePtr(c + CpuWorkqueueStruct.wq.off(k), x.get(L.wq));
              k.listInit(c + CpuWorkqueueStruct.worklist.off(k));
            })
        .callInto(L.p, "p = kthread_create(worker_thread, cwq, \"%s\", wq->name) (single-threaded) "
            + "or (worker_thread, cwq, \"%s/%d\", wq->name, cpu)", "kthread_create", Args.computed(x -> {
              long wq = x.get(L.wq);
              boolean single = k.listEmpty(wq + WorkqueueStruct.list.off(k));
              return new long[] {k.image.symbol("worker_thread"), x.get(L.cwq),
                  k.image.symbol(single ? ".LC_s" : ".LC_s_d"), k.readPtr(wq + WorkqueueStruct.name.off(k))};
            }))
        .step("cwq->thread = p", x -> k.writePtr(x.get(L.cwq) + CpuWorkqueueStruct.thread.off(k), x.get(L.p)))
        .ret("return p", x -> x.get(L.p)).build());
    k.image.add(k.image.c("__create_workqueue", WQ + ":304-330").params(L.name, L.singlethread).locals(L.wq, L.p)
        .step("wq = kmalloc(sizeof(*wq), GFP_KERNEL); memset(wq, 0, sizeof(*wq)); wq->name = name; "
            + "a single-threaded queue: INIT_LIST_HEAD(&wq->list); otherwise list_add(&wq->list, "
            + "&workqueues) (one CPU: the queue's one thread is cpu 0's)", x -> {
              int size = k.image.struct("workqueue_struct").size();
              long wq = k.pages.kmalloc(size, "workqueue_struct");
              k.mem.zero(wq, size);
              k.writePtr(wq + WorkqueueStruct.name.off(k), x.get(L.name));
              long list = wq + WorkqueueStruct.list.off(k);
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
    queue(k, "helper_init", Kthread2611.KTHREAD + ":194-201", "helper_wq", ".LC_kthread", 1);
  }

  private static void queue(Kernel k, String fn, String src, String var, String name, int single) {
    k.image.add(k.image.c(fn, src).params()
        .call(var + " = " + (single == 1 ? "create_singlethread_workqueue" : "create_workqueue")
            + "(\"" + Kthread2611.literal(name) + "\") = __create_workqueue(name, "
            + single + ")", "__create_workqueue", Args.of(x -> k.image.symbol(name), x -> single))
        .step(var + " = the new queue", x -> k.writePtr(k.image.symbol(var), x.retval()))
        .ret("return 0", x -> 0).build());
  }

}
