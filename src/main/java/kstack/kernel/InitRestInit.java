package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * The init path of 3.x on (init/main.c@4.16.13, @6.19): start_kernel writes init_task's
 * end-of-stack magic first; rest_init starts kernel_init (pid 1) and kthreadd (pid 2), completes
 * kthreadd_done and becomes the idle loop; kernel_init waits for kthreadd, runs
 * kernel_init_freeable (smp_init, the console) and execs /sbin/init. A generation's differences
 * are the fields and how pid 1 and pid 2 are started.
 */
abstract class InitRestInit implements InitPath {
  enum L implements Local { init_filename, pid, ret, tsk, unused }

  static final String SRC = InitMain.SRC;

  /** start_kernel's memory setup step (mm_init, mm_core_init from 6.6). */
  private final String mmInit;
  /** Whether kernel_init itself waits for kthreadd_done (6.x) rather than kernel_init_freeable. */
  private final boolean waitsInKernelInit;
  /** run_init_process's call of the exec path: its text and symbol. */
  private final String execText;
  private final String exec;

  InitRestInit(String mmInit, boolean waitsInKernelInit, String execText, String exec) {
    this.mmInit = mmInit;
    this.waitsInKernelInit = waitsInKernelInit;
    this.execText = execText;
    this.exec = exec;
  }

  /** rest_init's creation of pid 1 (kernel_init) and pid 2 (kthreadd), into the local pid. */
  abstract void spawn(Kernel k, RoutineBuilder b);

  @Override
  public void build(Kernel k) {
    InitMain.buildStartKernel(k, mmInit, true);
    k.image.add(k.image.c("set_task_stack_end_magic", "kernel/fork.c").params(L.tsk)
        .step("*end_of_stack(tsk) = STACK_END_MAGIC", x -> {
          k.writePtr(k.stacks.endOfStack(x.get(L.tsk)), Kernel.STACK_END_MAGIC);
          if (x.get(L.tsk) == k.image.symbol("init_task")) {
            k.stacks.setInitStackEndMagic();
          }
        })
        .retVoid().build());
    buildRestInit(k);
    buildKernelInit(k);
    InitMain.buildSmp(k, InitMain.SmpBringUp.FORK_IDLE);
  }

  private void buildRestInit(Kernel k) {
    var b = k.image.c("rest_init", SRC).params().locals(L.pid);
    b.step("rcu_scheduler_starting()", x -> { });
    spawn(k, b);
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

  private void buildKernelInit(Kernel k) {
    var b = k.image.c("kernel_init", SRC).params(L.unused).locals(L.ret);
    if (waitsInKernelInit) {
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
    if (!waitsInKernelInit) {
      f.call("wait_for_completion(&kthreadd_done)", "wait_for_completion",
          Args.of(x -> k.image.symbol("kthreadd_done")));
    }
    k.image.add(f.call("smp_init(): bring up the secondary CPUs", "smp_init", Args.inPlace())
        .step("sched_init_smp(); do_basic_setup(); console_on_rootfs(): fds 0, 1, 2 = /dev/console; "
            + "the initctl pipe as fd 3 (the simulator's way to talk to init)", x -> InitMain.openConsole(k, x))
        .retVoid().build());
    k.image.add(k.image.c("run_init_process", SRC).params(L.init_filename)
        .step("argv_init[0] = init_filename", x -> { })
        .call(execText, exec, Args.of(x -> x.get(L.init_filename), x -> 0, x -> 0))
        .ret("return ret", Exec::retval).build());
  }
}
