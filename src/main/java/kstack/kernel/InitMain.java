package kstack.kernel;

import java.util.HashMap;
import java.util.Map;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * init/main.c: start_kernel's stack-relevant calls in order (research §1.2), rest_init creating pid 1
 * and pid 2, and kernel_init reaching user space through run_init_process. Secondary CPUs are
 * brought up from kernel_init_freeable → smp_init, each with an idle task from fork_idle.
 */
final class InitMain {
  enum L implements Local { args, cpu, idle, init_filename, pid, regs, ret, task, tsk, unused }

  private InitMain() {}

  static final String SRC = "init/main.c";

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    if (k.profile.has(Feature.KTHREAD_HELPER_WQ)) {
      Init2611.buildStartKernel(k);
    } else {
      buildStartKernel(k, v6);
    }
    if (k.stacks.initSetsStackEndMagic()) { // 3.18+: 2.6.32 has no such function
      k.image.add(k.image.c("set_task_stack_end_magic", "kernel/fork.c").params(L.tsk)
          .step("*end_of_stack(tsk) = STACK_END_MAGIC", x -> {
            k.writePtr(k.stacks.endOfStack(x.get(L.tsk)), Kernel.STACK_END_MAGIC);
            if (x.get(L.tsk) == k.image.symbol("init_task")) {
              k.stacks.setInitStackEndMagic();
            }
          })
          .retVoid().build());
    }
    if (k.profile.has(Feature.KTHREAD_HELPER_WQ)) {
      Init2611.build(k);
    } else if (k.profile.has(Feature.ARCH_KERNEL_THREAD)) {
      buildInit26(k);
    } else {
      buildRestInit(k, v6);
      buildKernelInit(k, v6);
    }
    buildSmp(k);
  }

  static void perCpuReady(Kernel k, kstack.exec.Exec x) {
    k.timeline.emit(new Event.InitTaskCurrent(x.cpu().id(), false));
  }

  private static void buildStartKernel(Kernel k, boolean v6) {
    RoutineBuilder sk = k.image.c("start_kernel", SRC).params();
    if (k.stacks.initSetsStackEndMagic()) {
      sk.call("set_task_stack_end_magic(&init_task)", "set_task_stack_end_magic",
          Args.of(x -> k.image.symbol("init_task")));
    }
    k.image.add(sk.step("boot_cpu_init(); setup_arch(); setup_per_cpu_areas(); smp_prepare_boot_cpu()",
            x -> perCpuReady(k, x))
        .call("trap_init()", "trap_init", Args.inPlace())
        .step(v6 ? "mm_core_init()" : "mm_init()", x -> { })
        .call("sched_init()", "sched_init", Args.inPlace())
        .step("early_irq_init()", x -> { })
        .call("init_IRQ()", "init_IRQ", Args.inPlace())
        .step("time_init(); local_irq_enable()", k.arch::irqEnable)
        .call("rest_init()", "rest_init", Args.inPlace())
        .retVoid().build());
  }

  private static void buildRestInit(Kernel k, boolean v6) {
    var b = k.image.c("rest_init", SRC).params().locals(L.pid);
    if (v6) {
      b.step("rcu_scheduler_starting()", x -> { })
          .callInto(L.pid, "pid = user_mode_thread(kernel_init, NULL, CLONE_FS): pid 1",
              "user_mode_thread", Args.of(x -> k.image.symbol("kernel_init"), x -> 0, x -> Kernel.CLONE_FS))
          .callInto(L.pid, "pid = kernel_thread(kthreadd, NULL, NULL, CLONE_FS | CLONE_FILES): pid 2",
              "kernel_thread", Args.of(x -> k.image.symbol("kthreadd"), x -> 0, x -> 0,
                  x -> Kernel.CLONE_FS | Kernel.CLONE_FILES));
    } else {
      b.step("rcu_scheduler_starting()", x -> { })
          .callInto(L.pid, "pid = kernel_thread(kernel_init, NULL, CLONE_FS): pid 1",
              "kernel_thread", Args.of(x -> k.image.symbol("kernel_init"), x -> 0, x -> Kernel.CLONE_FS))
          .callInto(L.pid, "pid = kernel_thread(kthreadd, NULL, CLONE_FS | CLONE_FILES): pid 2",
              "kernel_thread", Args.of(x -> k.image.symbol("kthreadd"), x -> 0,
                  x -> Kernel.CLONE_FS | Kernel.CLONE_FILES));
    }
    k.image.add(b.step("kthreadd_task = find_task_by_pid_ns(pid, &init_pid_ns)",
            x -> k.writePtr(k.image.symbol("kthreadd_task"), k.pids.findTask((int) x.get(L.pid))))
        .call("complete(&kthreadd_done)", "complete", Args.of(x -> k.image.symbol("kthreadd_done")))
        .step("init_idle_bootup_task(current) is 2.6's; here the boot task simply schedules",
            x -> k.rq.setNeedResched(k.current(x), true))
        .call("schedule_preempt_disabled(): pid 1 and pid 2 run", "schedule_preempt_disabled", Args.inPlace())
        .call("cpu_startup_entry(CPUHP_ONLINE): the boot task becomes the idle loop",
            "cpu_startup_entry", Args.of(x -> 0))
        .retVoid().build());
  }

  private static void buildKernelInit(Kernel k, boolean v6) {
    var b = k.image.c("kernel_init", SRC).params(L.unused).locals(L.ret);
    if (v6) {
      b.call("wait_for_completion(&kthreadd_done)", "wait_for_completion",
          Args.of(x -> k.image.symbol("kthreadd_done")));
    }
    k.image.add(b.call("kernel_init_freeable()", "kernel_init_freeable", Args.inPlace())
        .step("async_synchronize_full(); free_initmem(); system_state = SYSTEM_RUNNING", x -> { })
        .callInto(L.ret, "ret = run_init_process(\"/sbin/init\")", "run_init_process",
            Args.of(x -> k.image.symbol("init_filename")))
        .ret("return 0: ret_from_fork takes pid 1 to user mode with the regs exec set up",
            x -> 0).build());
    var f = k.image.c("kernel_init_freeable", SRC).params();
    if (!v6) {
      f.call("wait_for_completion(&kthreadd_done)", "wait_for_completion",
          Args.of(x -> k.image.symbol("kthreadd_done")));
    }
    k.image.add(f.call("smp_init(): bring up the secondary CPUs", "smp_init", Args.inPlace())
        .step("sched_init_smp(); do_basic_setup(); console_on_rootfs(): fds 0, 1, 2 = /dev/console; "
            + "the initctl pipe as fd 3 (the simulator's way to talk to init)", x -> openConsole(k, x))
        .retVoid().build());
    k.image.add(k.image.c("run_init_process", SRC).params(L.init_filename)
        .step("argv_init[0] = init_filename", x -> { })
        .call(v6 ? "return kernel_execve(init_filename, argv_init, envp_init)"
                : "return do_execve(getname_kernel(init_filename), argv_init, envp_init)",
            v6 ? "kernel_execve" : "do_execve",
            Args.of(x -> x.get(L.init_filename), x -> 0, x -> 0))
        .ret("return ret", Exec::retval).build());
  }

  /**
   * 2.6.32.67 (init/main.c@2.6.32.67:402-441, 799-914): rest_init starts pid 1 and pid 2 with the
   * arch's kernel_thread, completes kthreadd_done (a stable-series backport: kernel_init waits for
   * it before anything else), schedules, then becomes the idle loop (cpu_idle). kernel_init ends in
   * init_post, which opens the console and reaches user space through run_init_process (void) and
   * kernel_execve.
   */
  private static void buildInit26(Kernel k) {
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
            x -> openConsole(k, x))
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

  /** console_on_rootfs: stdin, stdout, stderr on the console; plus the initctl pipe (fd 3). */
  static void openConsole(Kernel k, Exec x) {
    long cur = k.current(x);
    long console = Files.newFile(k, new Files.OpenFile(0, true, true, false), "/dev/console");
    Map<Integer, Long> fds = new HashMap<>();
    fds.put(0, console);
    fds.put(1, console);
    fds.put(2, console);
    long pipe = Files.newPipe(k);
    long r = Files.newFile(k, new Files.OpenFile(pipe, false, false, false), "initctl read end");
    fds.put(3, r);
    k.files.setFds(cur, fds);
    k.files.setInitctl(pipe);
  }

  private static void buildSmp(Kernel k) {
    var b = k.image.c("smp_init", "kernel/smp.c").params().locals(L.cpu, L.idle)
        .step("cpu = 1", x -> x.set(L.cpu, 1))
        .label("loop")
        .branchIf("done", "for_each_present_cpu(cpu) {", x -> x.get(L.cpu) >= k.cpus);
    if (k.profile.has(Feature.THREAD_INFO_AT_BASE)) {
      // 2.6.32: no idle_threads_init yet; do_boot_cpu forks the idle task (kernel/smp.c, cpu.c)
      String text = "  cpu_up(cpu) -> _cpu_up() -> __cpu_up() -> " + k.arch.cpuUpSymbol()
          + "(cpu): forks the idle task and starts the CPU on its stack";
      if (k.profile.has(Feature.KTHREAD_HELPER_WQ)) {
        // 2.6.11 runs one CPU and builds no cpu-up path: smp_init keeps its place in .text but
        // names its callee through a run-time lookup, which the link check does not see
        b.callVia(text, x -> k.image.symbol(k.arch.cpuUpSymbol()),
            Args.of(x -> x.get(L.cpu), x -> 0), null);
      } else {
        b.call(text, k.arch.cpuUpSymbol(), Args.of(x -> x.get(L.cpu), x -> 0));
      }
    } else {
      b.callInto(L.idle, "  idle = fork_idle(cpu) (idle_threads_init)", "fork_idle",
              Args.of(x -> x.get(L.cpu)))
          .call(k.arch.cpuUpSymbol().equals("native_kick_ap")
              ? "  cpu_up(cpu) -> _cpu_up() -> cpuhp_up_callbacks(): CPUHP_BP_KICK_AP: "
              + "cpuhp_kick_ap_alive() -> native_kick_ap(cpu, idle): start the CPU on the idle task's stack"
              : "  cpu_up(cpu) -> " + k.arch.cpuUpSymbol() + "(cpu, idle): start the CPU on the "
              + "idle task's stack", k.arch.cpuUpSymbol(),
              Args.of(x -> x.get(L.cpu), x -> x.get(L.idle)));
    }
    if (k.arch.cpuUpSymbol().equals("native_kick_ap")) {
      // CPUHP_BRINGUP_CPU: cpuhp_bringup_ap → bringup_wait_for_ap_online (kernel/cpu.c@6.19:827-849)
      b.label("wait")
          .branchIf("wait", "  cpuhp_bringup_ap(cpu): cpuhp_bp_sync_alive(); "
              + "bringup_wait_for_ap_online(cpu): the AP is booting",
              x -> (k.readPtr(k.image.symbol("__cpu_online_mask")) & (1L << x.get(L.cpu))) == 0)
          .step("  the AP is online",
              x -> k.timeline.emit(new Event.CpuOnline(x.cpu().id(), x.get(L.cpu))));
    }
    k.image.add(b.step("  cpu++", x -> x.set(L.cpu, x.get(L.cpu) + 1))
        .jump("loop", "}")
        .label("done")
        .retVoid().build());
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    var fi = k.image.c("fork_idle", "kernel/fork.c").params(L.cpu).locals(L.task);
    if (k.profile.has(Feature.FORK_PASSES_REGS)) {
      fi.localArea(L.regs, k.image.struct("pt_regs").size())
          .step("struct pt_regs regs; idle_regs(&regs): memset(&regs, 0, sizeof(regs))",
              x -> k.mem.zero(x.addr(L.regs), k.image.struct("pt_regs").size()))
          .callInto(L.task, "task = copy_process(CLONE_VM, 0, idle_regs(&regs), 0, NULL, "
              + "&init_struct_pid, 0)", "copy_process",
              Args.computed(x -> Fork26.idleArgs(x, x.addr(L.regs))));
    } else if (v6) {
      fi.localArea(L.args, k.t.word * Fork.CLONE_ARGS.length)
          .step("struct kernel_clone_args args = { .flags = CLONE_VM }", x -> {
            Fork.zeroCloneArgs(x, x.addr(L.args));
            Fork.setCloneArg(x, x.addr(L.args), "flags", Kernel.CLONE_VM);
          })
          .callInto(L.task, "task = copy_process(&init_struct_pid, 0, cpu_to_node(cpu), &args)",
              "copy_process", Args.of(x -> -1, x -> 0, x -> 0, x -> x.addr(L.args)));
    } else {
      fi.callWithStackArgs("task = copy_process(CLONE_VM, 0, 0, NULL, &init_struct_pid, 0, 0, "
              + "cpu_to_node(cpu))", "copy_process",
              Args.of(x -> Kernel.CLONE_VM, x -> 0, x -> 0, x -> 0, x -> -1, x -> 0, x -> 0, x -> 0), 2)
          .step("task = returned task", x -> x.set(L.task, x.retval()));
    }
    k.image.add(fi.call("init_idle(task, cpu)", "init_idle", Args.of(x -> x.get(L.task), x -> x.get(L.cpu)))
        .ret("return task", x -> x.get(L.task)).build());
  }
}
