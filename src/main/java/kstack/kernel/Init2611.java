package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.profile.Feature;

/**
 * init/main.c at 2.6.11 (Feature.KTHREAD_HELPER_WQ; research §2.6): rest_init forks pid 1 with
 * the arch's kernel_thread and becomes the idle loop; there is no kthreadd. init() runs
 * do_pre_smp_initcalls, whose spawn_ksoftirqd makes pid 2 (ksoftirqd/0) through kthread_create
 * before any workqueue exists, then do_basic_setup makes the events, khelper and kthread
 * workqueues, each with its worker thread (pids 3-5), and init reaches user space through the
 * execve stub's int $0x80. Of do_basic_setup's work and the initcalls only these are modelled:
 * a real boot goes on to start pdflush, kswapd0, aio/0, kblockd/0 and more at later initcall
 * levels.
 */
public final class Init2611 implements InitPath {
  enum L implements Local { init_filename, unused }


  static final String SRC = "init/main.c@2.6.11";

  /**
   * start_kernel at 2.6.11 (init/main.c@2.6.11:416-515): no boot_cpu_init or early_irq_init;
   * sched_init comes before trap_init, and rcu_init between trap_init and init_IRQ.
   */
  private static void buildStartKernel(Kernel k) {
    k.image.add(k.image.c("start_kernel", SRC + ":416-515").params().asmlinkage()
        .step("lock_kernel(); page_address_init(); printk(linux_banner); setup_arch(&command_line); "
            + "setup_per_cpu_areas(); smp_prepare_boot_cpu()", x -> InitMain.perCpuReady(k, x))
        .call("sched_init()", "sched_init", Args.inPlace())
        .step("preempt_disable() (undone by rest_init's preempt_enable_no_resched); "
            + "build_all_zonelists(); page_alloc_init(); parse_args(); sort_main_extable()",
            x -> { })
        .call("trap_init()", "trap_init", Args.inPlace())
        .step("rcu_init()", x -> { })
        .call("init_IRQ()", "init_IRQ", Args.inPlace())
        .step("pidhash_init(); init_timers(); softirq_init(); time_init(); console_init(); "
            + "profile_init(); local_irq_enable()", k.arch::irqEnable)
        .step("mem_init(); kmem_cache_init(); calibrate_delay(); pidmap_init(); fork_init(); "
            + "vfs_caches_init(); signals_init(); proc_root_init(); check_bugs()", x -> { })
        .call("rest_init()", "rest_init", Args.inPlace())
        .retVoid().build());
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KTHREAD_HELPER_WQ);
  }

  /** start_kernel, rest_init and init() with its setup calls, then smp_init. */
  @Override
  public void build(Kernel k) {
    buildStartKernel(k);
    buildInit(k);
    InitMain.buildSmp(k, InitMain.SmpBringUp.NEVER_RUN);
  }

  private static void buildInit(Kernel k) {
    k.image.add(k.image.c("rest_init", SRC + ":371-379").params()
        .call("kernel_thread(init, NULL, CLONE_FS | CLONE_SIGHAND): pid 1", "kernel_thread",
            Args.of(x -> k.image.symbol("init"), x -> 0, x -> Kernel.CLONE_FS | 0x800))
        .step("numa_default_policy(); unlock_kernel(); preempt_enable_no_resched()", x -> { })
        .call("cpu_idle(): the boot task becomes the idle loop", "cpu_idle", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("init", SRC + ":625-693").params(L.unused)
        .step("lock_kernel(); set_cpus_allowed(current, CPU_MASK_ALL); child_reaper = current; "
            + "smp_prepare_cpus(max_cpus)", x -> { })
        .call("do_pre_smp_initcalls()", "do_pre_smp_initcalls", Args.inPlace())
        .step("fixup_cpu_present_map(); smp_init() (one CPU: nothing); sched_init_smp(); "
            + "populate_rootfs()", x -> { })
        .call("do_basic_setup()", "do_basic_setup", Args.inPlace())
        .step("prepare_namespace(); free_initmem(); unlock_kernel(); system_state = "
            + "SYSTEM_RUNNING; numa_default_policy()", x -> { })
        .step("sys_open(\"/dev/console\", O_RDWR, 0); sys_dup(0) twice: fds 0, 1, 2; "
            + "the initctl pipe as fd 3 (the simulator's way to talk to init)",
            x -> InitMain.openConsole(k, x))
        .call("run_init_process(\"/sbin/init\")", "run_init_process",
            Args.of(x -> k.image.symbol("init_filename")))
        .step("panic(\"No init found.\") (not reached: the exec succeeded)", x -> k.panic(
            "Kernel panic - not syncing: No init found."))
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c("do_pre_smp_initcalls", SRC + ":590-599").params()
        .step("migration_init() (CONFIG_SMP only: not in this one-CPU profile)", x -> { })
        .call("spawn_ksoftirqd()", "spawn_ksoftirqd", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("do_basic_setup", SRC + ":572-588").params()
        .call("init_workqueues(): events/0", "init_workqueues", Args.inPlace())
        .call("usermodehelper_init(): khelper", "usermodehelper_init", Args.inPlace())
        .step("key_init(); driver_init(); sysctl_init(); sock_init()", x -> { })
        .call("do_initcalls()", "do_initcalls", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("do_initcalls", SRC + ":536-570").params()
        .call("for each initcall: ... core_initcall(helper_init) (kthread.c@2.6.11:201): the "
            + "kthread helper workqueue", "helper_init", Args.inPlace())
        .call("  __initcall(sysenter_setup) (arch/i386/kernel/sysenter.c@2.6.11:65): the vsyscall "
            + "page and the SYSENTER MSRs; the other initcalls are not modelled", "sysenter_setup", Args.inPlace())
        .step("flush_scheduled_work()", x -> { })
        .retVoid().build());
    int execve = k.arch.syscallNumbers().get("execve");
    InitMain.Syscall3 r = InitMain.Syscall3.of(k);
    k.image.add(k.image.c("run_init_process", SRC + ":601-605").params(L.init_filename)
        .step("argv_init[0] = init_filename; execve(init_filename, argv_init, envp_init): the "
            + "static inline _syscall3 stub (include/asm-i386/unistd.h@2.6.11:416,435), inlined: "
            + "eax = __NR_execve; ebx = init_filename; ecx = argv_init; edx = envp_init", x -> {
              x.set(r.ebx(), x.get(L.init_filename));
              x.set(r.eax(), execve);
              x.set(r.ecx(), 0);
              x.set(r.edx(), 0);
            })
        .step("int $0x80: a system call from kernel mode. The CPU stays on this stack and pushes "
            + "only eflags, cs, eip, so system_call builds a pt_regs in the middle of it",
            x -> k.arch.syscallInstruction(x))
        .retVoid().build());
  }
}
