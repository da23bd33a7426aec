package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * Boot and kernel threads at 2.4.22 (init/main.c, kernel/context.c, kernel/sched.c;
 * docs/research/i386-and-2.x.md §1.1, §1.6): rest_init starts init (pid 1) with kernel_thread and
 * becomes the idle loop; there is no kthreadd: pid 2 is keventd, which init starts from
 * do_basic_setup and waits for; init reaches user space through the _syscall3 execve stub, an
 * int $0x80 from kernel mode. A driver of the time made its own threads with kernel_thread and
 * daemonize; the kstack_demo module does the same.
 */
public final class Init24 implements InitPath {
  enum L implements Local { startup, unused }


  static final String SRC = "init/main.c";
  static final long CLONE_SIGNAL = 0x800 | 0x10000; // CLONE_SIGHAND | CLONE_THREAD

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.NO_KTHREADD);
  }

  @Override
  public void build(Kernel k) {
    k.image.add(k.image.c("start_kernel", SRC).params().asmlinkage()
        .step("lock_kernel(); printk(linux_banner); setup_arch(&command_line); parse_options()",
            x -> k.timeline.emit(new Event.InitTaskCurrent(x.cpu().id(), true)))
        .call("trap_init()", "trap_init", Args.inPlace())
        .call("init_IRQ()", "init_IRQ", Args.inPlace())
        .call("sched_init()", "sched_init", Args.inPlace())
        .step("softirq_init(); time_init(); console_init(); init_modules(); kmem_cache_init(); "
            + "sti()", k.arch::irqEnable)
        .step("calibrate_delay(); mem_init(); fork_init(); proc_caches_init(); vfs_caches_init(); "
            + "signals_init(); check_bugs(); smp_init() (UP: nothing)", x -> { })
        .call("rest_init()", "rest_init", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("sched_init", "kernel/sched.c").params()
        .step("init_task.processor = cpu; the pidhash; init_timervecs(); init_bh(TIMER_BH, "
            + "timer_bh); init_bh(TQUEUE_BH, tqueue_bh); init_bh(IMMEDIATE_BH, immediate_bh); "
            + "atomic_inc(&init_mm.mm_count); enter_lazy_tlb() (sched.c@2.4.22:1372-1398)",
            x -> k.tasks.setTaskCpu(k.current(x), x.cpu().id()))
        .retVoid().build());
    k.image.add(k.image.c("rest_init", SRC).params()
        .call("kernel_thread(init, NULL, CLONE_FS | CLONE_FILES | CLONE_SIGNAL): pid 1",
            "kernel_thread", Args.of(x -> k.image.symbol("init"), x -> 0,
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES | CLONE_SIGNAL))
        .step("unlock_kernel(); current->need_resched = 1",
            x -> k.rq.setNeedResched(k.current(x), true))
        .call("cpu_idle(): the boot task becomes the idle loop", "cpu_idle", Args.inPlace())
        .retVoid().build());
    buildInit(k);
    buildKeventd(k);
  }

  /** init() (init/main.c@2.4.22:549-584), the static function pid 1 runs. */
  private static void buildInit(Kernel k) {
    int execve = k.arch.syscallNumbers().get("execve");
    InitMain.Syscall3 r = InitMain.Syscall3.of(k);
    k.image.add(k.image.c("init", SRC).params(L.unused)
        .step("lock_kernel()", x -> { })
        .call("do_basic_setup()", "do_basic_setup", Args.inPlace())
        .step("prepare_namespace(); free_initmem(); unlock_kernel()", x -> { })
        .step("open(\"/dev/console\", O_RDWR, 0); (void) dup(0); (void) dup(0): fds 0, 1, 2; "
            + "the initctl pipe as fd 3 (the simulator's way to talk to init)",
            x -> InitMain.openConsole(k, x))
        .step("execve(\"/sbin/init\", argv_init, envp_init): the static inline _syscall3 stub "
            + "(include/asm-i386/unistd.h@2.4.22:273-303): eax = __NR_execve, ebx = filename, "
            + "ecx = argv, edx = envp; int $0x80 from kernel mode", x -> {
              x.set(r.eax(), execve);
              x.set(r.ebx(), k.image.symbol("init_filename"));
              x.set(r.ecx(), 0);
              x.set(r.edx(), 0);
              k.arch.syscallInstruction(x);
            })
        .step("panic(\"No init found.\") (not reached: the exec succeeded)", x -> k.panic(
            "Kernel panic: No init found.  Try passing init= option to kernel."))
        .retVoid().build());
    k.image.add(k.image.c("do_basic_setup", SRC).params()
        .step("child_reaper = current; sysctl_init(); sock_init() ...", x -> { })
        .call("start_context_thread(): keventd, pid 2 (init/main.c@2.4.22:535)",
            "start_context_thread", Args.inPlace())
        .step("do_initcalls() (no built-in driver starts a thread here)", x -> { })
        .retVoid().build());
  }

  /** start_context_thread and context_thread (kernel/context.c@2.4.22:67-159). */
  private static void buildKeventd(Kernel k) {
    String src = "kernel/context.c";
    k.image.add(k.image.c("start_context_thread", src).params()
        .call("kernel_thread(context_thread, &startup, CLONE_FS | CLONE_FILES)", "kernel_thread",
            Args.of(x -> k.image.symbol("context_thread"), x -> k.image.symbol("startup"),
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES))
        .call("wait_for_completion(&startup)", "wait_for_completion",
            Args.of(x -> k.image.symbol("startup")))
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c("context_thread", src).params(L.startup)
        .call("daemonize()", "daemonize", Args.inPlace())
        .step("strcpy(curtask->comm, \"keventd\"); keventd_running = 1; keventd_task = curtask; "
            + "block every signal but SIGCHLD", x -> k.tasks.setComm(k.current(x), "keventd"))
        .call("complete((struct completion *) startup)", "complete",
            Args.of(x -> x.get(L.startup)))
        .label("loop")
        .step("for (;;) { set_task_state(curtask, TASK_INTERRUPTIBLE); "
            + "add_wait_queue(&context_task_wq, &wait); (tq_context is empty)", x -> {
              long cur = k.current(x);
              k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "tq_context is empty"));
            })
        .call("  schedule()", "schedule", Args.inPlace())
        .step("  remove_wait_queue(); run_task_queue(&tq_context); wake_up(&context_task_done)",
            x -> { })
        .jump("loop", "}").build());
    k.image.add(k.image.c("daemonize", "kernel/sched.c").params()
        .step("exit_mm(current): drop any user pages; current->session = current->pgrp = 1; "
            + "current->tty = NULL", x -> {
              long cur = k.current(x);
              k.tasks.taskWrite(cur, TaskMember.mm, 0);
              k.tasks.taskWrite(cur, TaskMember.pgrp, 1);
            })
        .step("exit_fs(current); current->fs = init_task.fs; exit_files(current); "
            + "current->files = init_task.files (kernel/sched.c@2.4.22:1326-1353)",
            x -> k.files.setFds(k.current(x), java.util.Map.of()))
        .retVoid().build());
  }
}
