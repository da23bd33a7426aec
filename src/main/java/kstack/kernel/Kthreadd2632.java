package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.profile.Feature;

/**
 * Kernel threads at 2.6.32 (kernel/kthread.c@2.6.32): kthread_create keeps its kthread_create_info,
 * completion included, on the caller's stack; kthread() keeps its struct kthread on its own and
 * ends in do_exit. The demo module loads through init_module(umod, len, uargs).
 */
public final class Kthreadd2632 extends Kthreadd {
  enum L implements Local { _create, create, data, len, namefmt, ret, self, threadfn, uargs, umod }

  public Kthreadd2632() {
    super(false);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.FORK_PASSES_REGS);
  }

  /** kthread() at 2.6.32: it completes create->done, sleeps, then runs threadfn and do_exit(ret). */
  @Override
  void buildKthread(Kernel k) {
    k.image.add(k.image.c("kthread", SRC).params(L._create).locals(L.threadfn, L.data, L.ret)
        .localArea(L.self, 4 * k.t.word)
        .step("threadfn = create->threadfn; data = create->data; struct kthread self (on this "
            + "stack): self.should_stop = 0; init_completion(&self.exited); current->vfork_done = "
            + "&self.exited", x -> {
              long c = x.get(L._create);
              x.set(L.threadfn, k.readPtr(c + KthreadCreateInfoMember.threadfn.off(k)));
              x.set(L.data, k.readPtr(c + KthreadCreateInfoMember.data.off(k)));
            })
        .step("__set_current_state(TASK_UNINTERRUPTIBLE); create->result = current", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_UNINTERRUPTIBLE);
          k.writePtr(x.get(L._create) + KthreadCreateInfoMember.result.off(k), k.current(x));
        })
        .call("complete(&create->done)", "complete",
            Args.of(x -> x.get(L._create) + KthreadCreateInfoMember.done.off(k)))
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
  @Override
  void buildCreate(Kernel k) {
    k.image.add(k.image.c("kthread_create", SRC).params(L.threadfn, L.data, L.namefmt)
        .localArea(L.create, k.image.struct("kthread_create_info").size())
        .step("struct kthread_create_info create (on this stack); create.threadfn = threadfn; "
            + "create.data = data; init_completion(&create.done)", x -> {
              long c = x.addr(L.create);
              k.writePtr(c + KthreadCreateInfoMember.threadfn.off(k), x.get(L.threadfn));
              k.writePtr(c + KthreadCreateInfoMember.data.off(k), x.get(L.data));
              k.mem.write(c + KthreadCreateInfoMember.done.off(k), 4, 0);
              k.listInit(c + KthreadCreateInfoMember.done.off(k) + CompletionMember.wait_head.off(k));
            })
        .step("spin_lock(&kthread_create_lock); list_add_tail(&create.list, &kthread_create_list)",
            x -> k.listAddTail(x.addr(L.create) + KthreadCreateInfoMember.list.off(k),
                k.image.symbol("kthread_create_list")))
        .call("wake_up_process(kthreadd_task)", "wake_up_process",
            Args.of(x -> k.readPtr(k.image.symbol("kthreadd_task"))))
        .call("wait_for_completion(&create.done)", "wait_for_completion",
            Args.of(x -> x.addr(L.create) + KthreadCreateInfoMember.done.off(k)))
        .step("vsnprintf(create.result->comm, sizeof(comm), namefmt, args); "
            + "sched_setscheduler_nocheck(); set_cpus_allowed_ptr()", x -> k.tasks.setComm(
                k.readPtr(x.addr(L.create) + KthreadCreateInfoMember.result.off(k)),
                k.mem.readCString(x.get(L.namefmt), 16)))
        .ret("return create.result", x -> k.readPtr(x.addr(L.create) + KthreadCreateInfoMember.result.off(k)))
        .build());
  }

  @Override
  void buildModule(Kernel k) {
    Kthread.buildDemoInit(k, "task = kthread_create(kstack_demo_thread, NULL, \"%s\", name)",
        "kthread_create", x -> new long[] {k.image.symbol("kstack_demo_thread"), 0,
            k.image.symbol("kstack_demo_name")});
    buildLoader(k, "kernel/module.c");
  }

  /**
   * 2.6.32 has no finit_module (3.8) and no do_init_module (3.7): sys_init_module runs load_module,
   * then starts the module with do_one_initcall(mod->init) itself (kernel/module.c@2.6.32.67:
   * 2099,2603-2663).
   */
  private static void buildLoader(Kernel k, String mod) {
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
            x -> Kthread.copyParam(k, x, x.get(L.uargs)))
        .ret("return mod", x -> 0).build());
    Kthread.buildDoOneInitcall(k);
  }
}
