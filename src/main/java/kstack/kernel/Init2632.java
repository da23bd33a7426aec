package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.profile.Feature;

/**
 * The init path at 2.6.32 (init/main.c@2.6.32.67): start_kernel without the end-of-stack magic,
 * rest_init with the arch's kernel_thread, kernel_init ending in init_post.
 */
public final class Init2632 implements InitPath {
  enum L implements Local { init_filename, pid, unused }

  static final String SRC = InitMain.SRC;

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.ARCH_KERNEL_THREAD);
  }

  @Override
  public void build(Kernel k) {
    InitMain.buildStartKernel(k, "mm_init()", false);
    buildInit(k);
    InitMain.buildSmp(k, InitMain.SmpBringUp.ARCH_FORKS_IDLE);
  }

  /**
   * 2.6.32.67 (init/main.c@2.6.32.67:402-441, 799-914): rest_init starts pid 1 and pid 2 with the
   * arch's kernel_thread, completes kthreadd_done (a stable-series backport: kernel_init waits for
   * it before anything else), schedules, then becomes the idle loop (cpu_idle). kernel_init ends in
   * init_post, which opens the console and reaches user space through run_init_process (void) and
   * kernel_execve.
   */
  private static void buildInit(Kernel k) {
    k.image.add(k.image.c("rest_init", SRC).params().locals(L.pid)
        .step("rcu_scheduler_starting()", x -> { })
        .call("kernel_thread(kernel_init, NULL, CLONE_FS | CLONE_SIGHAND): pid 1", "kernel_thread",
            Args.of(x -> k.image.symbol("kernel_init"), x -> 0, x -> Kernel.CLONE_FS | 0x800))
        .step("numa_default_policy()", x -> { })
        .callInto(L.pid, "pid = kernel_thread(kthreadd, NULL, CLONE_FS | CLONE_FILES): pid 2",
            "kernel_thread", Args.of(x -> k.image.symbol("kthreadd"), x -> 0,
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES))
        .step("kthreadd_task = find_task_by_pid_ns(pid, &init_pid_ns)",
            x -> k.writePtr(k.image.symbol("kthreadd_task"), k.pids.findTask((int) x.get(L.pid))))
        .call("complete(&kthreadd_done)", "complete", Args.of(x -> k.image.symbol("kthreadd_done")))
        .step("unlock_kernel(); init_idle_bootup_task(current): current->sched_class = "
            + "&idle_sched_class; preempt_enable_no_resched()", x -> { })
        .call("schedule(): pid 1 and pid 2 run", "schedule", Args.inPlace())
        .step("preempt_disable()", x -> { })
        .call("cpu_idle(): the boot task becomes the idle loop", "cpu_idle", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("kernel_init", SRC).params(L.unused)
        .call("wait_for_completion(&kthreadd_done)", "wait_for_completion",
            Args.of(x -> k.image.symbol("kthreadd_done")))
        .step("lock_kernel(); set_cpus_allowed_ptr(current, cpu_all_mask); "
            + "smp_prepare_cpus(setup_max_cpus); do_pre_smp_initcalls()", x -> { })
        .call("smp_init(): bring up the secondary CPUs", "smp_init", Args.inPlace())
        .step("sched_init_smp(); do_basic_setup(); prepare_namespace()", x -> { })
        .call("init_post()", "init_post", Args.inPlace())
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c("init_post", SRC).params()
        .step("async_synchronize_full(); free_initmem(); unlock_kernel(); "
            + "system_state = SYSTEM_RUNNING", x -> { })
        .step("sys_open(\"/dev/console\", O_RDWR, 0); sys_dup(0) twice: fds 0, 1, 2; "
            + "the initctl pipe as fd 3 (the simulator's way to talk to init)",
            x -> InitMain.openConsole(k, x))
        .call("run_init_process(\"/sbin/init\")", "run_init_process",
            Args.of(x -> k.image.symbol("init_filename")))
        .step("panic(\"No init found.\") (not reached: the exec succeeded)", x -> k.panic(
            "Kernel panic - not syncing: No init found."))
        .retVoid().build());
    k.image.add(k.image.c("run_init_process", SRC).params(L.init_filename)
        .step("argv_init[0] = init_filename", x -> { })
        .call("kernel_execve(init_filename, argv_init, envp_init)", "kernel_execve",
            Args.of(x -> x.get(L.init_filename), x -> 0, x -> 0))
        .retVoid().build());
  }
}
