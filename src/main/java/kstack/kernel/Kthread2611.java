package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * Kernel threads at 2.6.11, which has no kthreadd (Feature.KTHREAD_HELPER_WQ; research §2.6):
 * kthread_create queues keventd_create_kthread on the kthread helper workqueue and waits on
 * create.done; that queue's worker thread forks kthread() with kernel_thread and waits on
 * create.started. Before helper_init has made the queue, kthread_create calls
 * keventd_create_kthread itself, so the boot's first kernel threads are children of the caller.
 * Also the completions of kernel/sched.c@2.6.11 and the workqueue machinery those threads run.
 */
public final class Kthread2611 implements KthreadModel {
  enum L implements Local {
      __bind_cpu, _create, action, arg, create, data, hcpu, len, namefmt, nfb, p, pid, ret,
      threadfn, uargs, umod, work
  }

  static final String KTHREAD = "kernel/kthread.c@2.6.11";
  static final String SCHED = "kernel/sched.c@2.6.11";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KTHREAD_HELPER_WQ);
  }

  /**
   * The completions, kthread and kthread_create, the workqueues and ksoftirqd, then the demo
   * module, whose kthread_create formats the name itself: "%s" and the name.
   */
  @Override
  public void build(Kernel k) {
    SchedCommon.buildCompletion(k, SCHED + ":3010-3020", SCHED + ":3034-3053");
    buildKthread(k);
    buildCreate(k);
    HelperWorkqueue.build(k);
    buildKsoftirqd(k);
    Kthread.buildDemoInit(k, "task = kthread_create(kstack_demo_thread, NULL, \"%s\", name)",
        "kthread_create", x -> new long[] {k.image.symbol("kstack_demo_thread"), 0, k.image.symbol(".LC_s"),
            k.image.symbol("kstack_demo_name")});
    buildLoader(k);
  }

  /** kthread() and keventd_create_kthread (kthread.c@2.6.11:67-120). */
  private static void buildKthread(Kernel k) {
    k.image.add(k.image.c("kthread", KTHREAD + ":67-103").params(L._create).locals(L.threadfn, L.data, L.ret)
        .step("kthread_exit_files(); threadfn = create->threadfn; data = create->data (copied: "
            + "create is on the creator's stack); block and flush all signals; "
            + "set_cpus_allowed(current, CPU_MASK_ALL)", x -> {
              long c = x.get(L._create);
              x.set(L.threadfn, k.readPtr(c + KthreadCreateInfoMember.threadfn.off(k)));
              x.set(L.data, k.readPtr(c + KthreadCreateInfoMember.data.off(k)));
            })
        .step("__set_current_state(TASK_INTERRUPTIBLE)",
            x -> k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE))
        .call("complete(&create->started)", "complete",
            Args.of(x -> x.get(L._create) + KthreadCreateInfoMember.started.off(k)))
        .call("schedule(): sleep until kthread_create's caller wakes us", "schedule", Args.inPlace())
        .callVia("if (!kthread_should_stop()) ret = threadfn(data)", x -> x.get(L.threadfn),
            Args.of(x -> x.get(L.data)), L.ret)
        .ret("return 0: into kernel_thread_helper, which calls do_exit", x -> 0).build());
    k.image.add(k.image.c("keventd_create_kthread", KTHREAD + ":106-120").params(L._create).locals(L.pid)
        .callInto(L.pid, "pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)",
            "kernel_thread", Args.of(x -> k.image.symbol("kthread"), x -> x.get(L._create),
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES | Kernel.SIGCHLD))
        .call("wait_for_completion(&create->started)", "wait_for_completion",
            Args.of(x -> x.get(L._create) + KthreadCreateInfoMember.started.off(k)))
        .step("create->result = find_task_by_pid(pid)", x -> k.writePtr(x.get(L._create)
            + KthreadCreateInfoMember.result.off(k), k.pids.findTask((int) x.get(L.pid))))
        .call("complete(&create->done)", "complete",
            Args.of(x -> x.get(L._create) + KthreadCreateInfoMember.done.off(k)))
        .retVoid().build());
  }

  /**
   * kthread_create (kthread.c@2.6.11:122-143): create and its work_struct live on the caller's
   * stack; arg is the one argument the callers here give the name format.
   */
  private static void buildCreate(Kernel k) {
    int create = k.image.struct("kthread_create_info").size();
    int ws = WorkStruct.func.off(k);
    k.image.add(k.image.c("kthread_create", KTHREAD + ":122-143").params(L.threadfn, L.data, L.namefmt, L.arg)
        .localArea(L.create, create).localArea(L.work, k.image.struct("work_struct").size())
        .step("struct kthread_create_info create; DECLARE_WORK(work, keventd_create_kthread, "
            + "&create) (both on this stack); create.threadfn = threadfn; create.data = data; "
            + "init_completion(&create.started); init_completion(&create.done)", x -> {
              long c = x.addr(L.create);
              k.mem.zero(c, create);
              k.writePtr(c + KthreadCreateInfoMember.threadfn.off(k), x.get(L.threadfn));
              k.writePtr(c + KthreadCreateInfoMember.data.off(k), x.get(L.data));
              long w = x.addr(L.work);
              k.mem.zero(w, k.image.struct("work_struct").size());
              k.listInit(w + WorkStruct.entry.off(k));
              k.writePtr(w + ws, k.image.symbol("keventd_create_kthread"));
              k.writePtr(w + WorkStruct.data.off(k), c);
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
            Args.of(x -> x.addr(L.create) + KthreadCreateInfoMember.done.off(k)))
        .label("named")
        .step("vsnprintf(create.result->comm, sizeof(comm), namefmt, args)",
            x -> k.tasks.setComm(k.readPtr(x.addr(L.create) + KthreadCreateInfoMember.result.off(k)),
                format(k, k.mem.readCString(x.get(L.namefmt), 32), x.get(L.arg))))
        .ret("return create.result", x -> k.readPtr(x.addr(L.create) + KthreadCreateInfoMember.result.off(k)))
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
  private static void buildLoader(Kernel k) {
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

  /**
   * kthread.c@2.6.11:21 helper_wq; workqueue.c@2.6.11:66-73 workqueues, keventd_wq; kmod.c@2.6.11:43
   * khelper_wq; softirq.c@2.6.11:46 per_cpu ksoftirqd (one CPU here); the thread-name literals.
   */
  @Override
  public void linkData(Kernel k, kstack.image.Linker l) {
    kstack.layout.Types t = k.t;
    for (String v : new String[] {"helper_wq", "keventd_wq", "khelper_wq"}) {
      l.object(v, t.ptrTo("workqueue_struct"), t.word);
    }
    long wqs = l.object("workqueues", t.struct(k.image.struct("list_head")), t.word);
    k.image.deferInit(() -> k.listInit(wqs));
    l.object("per_cpu__ksoftirqd", t.ptrTo("task_struct"), t.word); // DEFINE_PER_CPU's name
    for (String[] s : LITERALS) {
      long a = l.object(s[0], t.array(t.charT, s[1].length() + 1), 1);
      k.image.deferInit(() -> k.mem.writeBytes(a, Syscalls.cstring(s[1])));
    }
  }
}
