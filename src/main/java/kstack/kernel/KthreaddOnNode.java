package kstack.kernel;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;

/**
 * The kthreadd model with kthread_create_on_node (3.x+; kernel/kthread.c@4.16.13, @6.19):
 * __kthread_create_on_node kmallocs the kthread_create_info and keeps only its completion on the
 * caller's stack (DECLARE_COMPLETION_ONSTACK), and kthread() takes create->done with xchg. The
 * demo module loads through finit_module (3.8+). A generation's differences are the fields.
 */
abstract class KthreaddOnNode extends Kthreadd {
  /** Whether the name is formatted at creation (create->full_name, 6.x) rather than after. */
  private final boolean namedAtCreation;
  /** kthread()'s first step: how it finds its struct kthread. */
  private final String self;
  /**
   * Whether kthread() completes and sleeps with preemption disabled (preempt_disable; complete;
   * schedule_preempt_disabled, 6.x) rather than complete and schedule.
   */
  private final boolean preemptDisabled;
  /** Whether kthread() ends in kthread_exit(ret) → do_exit(0) (5.17+) rather than do_exit(ret). */
  private final boolean viaKthreadExit;

  KthreaddOnNode(boolean namedAtCreation, String self, boolean preemptDisabled,
      boolean viaKthreadExit) {
    super(namedAtCreation);
    this.namedAtCreation = namedAtCreation;
    this.self = self;
    this.preemptDisabled = preemptDisabled;
    this.viaKthreadExit = viaKthreadExit;
  }

  @Override
  void buildKthread(Kernel k) {
    RoutineBuilder b = k.image.c("kthread", SRC).params("_create")
        .locals("threadfn", "data", "done", "ret")
        .step("threadfn = create->threadfn; data = create->data; " + self,
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
        .call(preemptDisabled ? "preempt_disable(); complete(done)" : "complete(done)", "complete",
            x -> new long[] {x.local("done")});
    if (preemptDisabled) {
      b.call("schedule_preempt_disabled(): sleep until the creator wakes us", "schedule_preempt_disabled",
          null);
    } else {
      b.call("schedule(): sleep until the creator wakes us", "schedule", null);
    }
    k.image.add(b.step("cgroup_kthread_ready(); __kthread_parkme(self)", x -> { })
        .callVia("ret = threadfn(data)", x -> x.local("threadfn"), x -> new long[] {x.local("data")},
            "ret")
        .call(viaKthreadExit ? "kthread_exit(ret) -> do_exit(0)" : "do_exit(ret)", "do_exit",
            x -> new long[] {viaKthreadExit ? 0 : x.local("ret")})
        .retVoid().build());
  }

  @Override
  void buildCreate(Kernel k) {
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
            + (namedAtCreation ? "; create->full_name = kvasprintf(namefmt, args)" : ""), x -> {
              long c = k.pages.kmalloc(size, "kthread_create_info");
              k.writePtr(c + ci(k, "threadfn"), x.local("threadfn"));
              k.writePtr(c + ci(k, "data"), x.local("data"));
              k.mem.write(c + ci(k, "node"), 4, x.local("node"));
              k.writePtr(c + ci(k, "done"), x.localAddress("done"));
              if (namedAtCreation) {
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
    if (!namedAtCreation) {
      b.step("vsnprintf(name, namefmt, args); set_task_comm(task, name)",
          x -> k.tasks.setComm(x.local("task"), k.mem.readCString(x.local("namefmt"), 16)));
    }
    k.image.add(b.ret("kfree(create); return task", x -> x.local("task")).build());
  }

  /** The demo module, created on NUMA_NO_NODE, loaded by finit_module → load_module → do_init_module. */
  @Override
  void buildModule(Kernel k) {
    Kthread.buildDemoInit(k, "task = kthread_create_on_node(kstack_demo_thread, NULL, NUMA_NO_NODE, "
        + "\"%s\", name)", "kthread_create_on_node", x -> new long[] {
            k.image.symbol("kstack_demo_thread"), 0, -1, k.image.symbol("kstack_demo_name")});
    String mod = "kernel/module.c";
    k.image.add(Syscalls.entry(k, "finit_module", mod, "fd", "uargs", "flags")
        .call("load_module(&info, uargs, flags)", "load_module",
            x -> new long[] {0, x.local("uargs"), x.local("flags")})
        .ret("return err", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod).params("info", "uargs", "flags")
        .step("layout and relocate the module; parse_args(uargs): name=...",
            x -> Kthread.copyParam(k, x, x.local("uargs")))
        .call("return do_init_module(mod)", "do_init_module", x -> new long[] {0})
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("do_init_module", mod).params("mod")
        .call("ret = do_one_initcall(mod->init)", "do_one_initcall",
            x -> new long[] {k.image.symbol("kstack_demo_init")})
        .ret("return ret", Exec::retval).build());
    Kthread.buildDoOneInitcall(k);
  }
}
