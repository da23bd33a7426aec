package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * The kthreadd model with kthread_create_on_node (3.x+; kernel/kthread.c@4.16.13, @6.19):
 * __kthread_create_on_node kmallocs the kthread_create_info and keeps only its completion on the
 * caller's stack (DECLARE_COMPLETION_ONSTACK), and kthread() takes create->done with xchg. The
 * demo module loads through finit_module (3.8+). A generation's differences are the fields.
 */
abstract class KthreaddOnNode extends Kthreadd {
  enum L implements Local {
      _create, args, create, data, done, fd, flags, info, mod, namefmt, node, ret, task, threadfn,
      uargs
  }

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
    RoutineBuilder b = k.image.c("kthread", SRC).params(L._create)
        .locals(L.threadfn, L.data, L.done, L.ret)
        .step("threadfn = create->threadfn; data = create->data; " + self,
            x -> {
              long c = x.get(L._create);
              x.set(L.threadfn, k.readPtr(c + KthreadCreateInfoMember.threadfn.off(k)));
              x.set(L.data, k.readPtr(c + KthreadCreateInfoMember.data.off(k)));
            })
        .step("done = xchg(&create->done, NULL)", x -> {
          long c = x.get(L._create);
          x.set(L.done, k.readPtr(c + KthreadCreateInfoMember.done.off(k)));
          k.writePtr(c + KthreadCreateInfoMember.done.off(k), 0);
        })
        .step("__set_current_state(TASK_UNINTERRUPTIBLE); create->result = current", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_UNINTERRUPTIBLE);
          k.writePtr(x.get(L._create) + KthreadCreateInfoMember.result.off(k), k.current(x));
        })
        .call(preemptDisabled ? "preempt_disable(); complete(done)" : "complete(done)", "complete",
            Args.of(x -> x.get(L.done)));
    if (preemptDisabled) {
      b.call("schedule_preempt_disabled(): sleep until the creator wakes us", "schedule_preempt_disabled",
          Args.inPlace());
    } else {
      b.call("schedule(): sleep until the creator wakes us", "schedule", Args.inPlace());
    }
    k.image.add(b.step("cgroup_kthread_ready(); __kthread_parkme(self)", x -> { })
        .callVia("ret = threadfn(data)", x -> x.get(L.threadfn), Args.of(x -> x.get(L.data)),
            L.ret)
        .call(viaKthreadExit ? "kthread_exit(ret) -> do_exit(0)" : "do_exit(ret)", "do_exit",
            Args.of(x -> viaKthreadExit ? 0 : x.get(L.ret)))
        .retVoid().build());
  }

  @Override
  void buildCreate(Kernel k) {
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
          k.listInit(d + CompletionMember.wait_head.off(k));
        })
        .step("create = kmalloc(sizeof(*create)); create->threadfn = threadfn; create->data = data; "
            + "create->node = node; create->done = &done"
            + (namedAtCreation ? "; create->full_name = kvasprintf(namefmt, args)" : ""), x -> {
              long c = k.pages.kmalloc(size, "kthread_create_info");
              k.writePtr(c + KthreadCreateInfoMember.threadfn.off(k), x.get(L.threadfn));
              k.writePtr(c + KthreadCreateInfoMember.data.off(k), x.get(L.data));
              k.mem.write(c + KthreadCreateInfoMember.node.off(k), 4, x.get(L.node));
              k.writePtr(c + KthreadCreateInfoMember.done.off(k), x.addr(L.done));
              if (namedAtCreation) {
                k.writePtr(c + KthreadCreateInfoMember.full_name.off(k), x.get(L.namefmt));
              }
              x.set(L.create, c);
            })
        .step("spin_lock(&kthread_create_lock); list_add_tail(&create->list, &kthread_create_list)",
            x -> k.listAddTail(x.get(L.create) + KthreadCreateInfoMember.list.off(k), k.image.symbol("kthread_create_list")))
        .call("wake_up_process(kthreadd_task)", "wake_up_process",
            Args.of(x -> k.readPtr(k.image.symbol("kthreadd_task"))))
        .call("wait_for_completion_killable(&done): sleep until kthread() has started",
            "wait_for_completion_killable", Args.of(x -> x.addr(L.done)))
        .step("task = create->result", x -> x.set(L.task,
            k.readPtr(x.get(L.create) + KthreadCreateInfoMember.result.off(k))));
    if (!namedAtCreation) {
      b.step("vsnprintf(name, namefmt, args); set_task_comm(task, name)",
          x -> k.tasks.setComm(x.get(L.task), k.mem.readCString(x.get(L.namefmt), 16)));
    }
    k.image.add(b.ret("kfree(create); return task", x -> x.get(L.task)).build());
  }

  /** The demo module, created on NUMA_NO_NODE, loaded by finit_module → load_module → do_init_module. */
  @Override
  void buildModule(Kernel k) {
    Kthread.buildDemoInit(k, "task = kthread_create_on_node(kstack_demo_thread, NULL, NUMA_NO_NODE, "
        + "\"%s\", name)", "kthread_create_on_node", x -> new long[] {
            k.image.symbol("kstack_demo_thread"), 0, -1, k.image.symbol("kstack_demo_name")});
    String mod = "kernel/module.c";
    k.image.add(Syscalls.entry(k, "finit_module", mod, L.fd, L.uargs, L.flags)
        .call("load_module(&info, uargs, flags)", "load_module",
            Args.of(x -> 0, x -> x.get(L.uargs), x -> x.get(L.flags)))
        .ret("return err", Exec::retval).build());
    k.image.add(k.image.c("load_module", mod).params(L.info, L.uargs, L.flags)
        .step("layout and relocate the module; parse_args(uargs): name=...",
            x -> Kthread.copyParam(k, x, x.get(L.uargs)))
        .call("return do_init_module(mod)", "do_init_module", Args.of(x -> 0))
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("do_init_module", mod).params(L.mod)
        .call("ret = do_one_initcall(mod->init)", "do_one_initcall",
            Args.of(x -> k.image.symbol("kstack_demo_init")))
        .ret("return ret", Exec::retval).build());
    Kthread.buildDoOneInitcall(k);
  }
}
