package kstack.kernel;

import java.util.HashMap;
import java.util.Map;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * init/main.c in what the generations share: start_kernel's stack-relevant calls in order
 * (research §1.2), the console pid 1 opens, and smp_init bringing up the secondary CPUs, each on
 * an idle task's stack. Each generation's path from rest_init to user space is its
 * {@link InitPath} module.
 */
final class InitMain {
  enum L implements Local { cpu, idle }

  private InitMain() {}

  static final String SRC = "init/main.c";

  /** Builds the profile's init path (its {@link InitPath} module). */
  static void build(Kernel k) {
    k.profile.module(InitPath.class).build(k);
  }

  static void perCpuReady(Kernel k, Exec x) {
    k.timeline.emit(new Event.InitTaskCurrent(x.cpu().id(), false));
  }

  /**
   * start_kernel (2.6.32 on): set_task_stack_end_magic(&init_task) first where start_kernel writes
   * it (3.18+), and mmInit, the memory setup's name (mm_init, mm_core_init from 6.6).
   */
  static void buildStartKernel(Kernel k, String mmInit, boolean setsStackEndMagic) {
    RoutineBuilder sk = k.image.c("start_kernel", SRC).params();
    if (setsStackEndMagic) {
      sk.call("set_task_stack_end_magic(&init_task)", "set_task_stack_end_magic",
          Args.of(x -> k.image.symbol("init_task")));
    }
    k.image.add(sk.step("boot_cpu_init(); setup_arch(); setup_per_cpu_areas(); smp_prepare_boot_cpu()",
            x -> perCpuReady(k, x))
        .call("trap_init()", "trap_init", Args.inPlace())
        .step(mmInit, x -> { })
        .call("sched_init()", "sched_init", Args.inPlace())
        .step("early_irq_init()", x -> { })
        .call("init_IRQ()", "init_IRQ", Args.inPlace())
        .step("time_init(); local_irq_enable()", k.arch::irqEnable)
        .call("rest_init()", "rest_init", Args.inPlace())
        .retVoid().build());
  }

  /** console_on_rootfs: stdin, stdout, stderr on the console; plus the initctl pipe (fd 3). */
  /**
   * The registers of i386's inlined _syscall3 stub (include/asm-i386/unistd.h of 2.4 and 2.6.11):
   * nr in eax, the arguments in ebx, ecx, edx; numbered when the step is built.
   */
  record Syscall3(int eax, int ebx, int ecx, int edx) {
    static Syscall3 of(Kernel k) {
      kstack.cpu.RegisterSet regs = k.arch.registers();
      return new Syscall3(regs.of("eax"), regs.of("ebx"), regs.of("ecx"), regs.of("edx"));
    }
  }

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

  /** How a generation's smp_init brings up the other CPUs. */
  enum SmpBringUp {
    /** 3.x on: smp_init takes each idle task from fork_idle (idle_threads_init). */
    FORK_IDLE,
    /** 2.6.32: the arch's cpu-up path (do_boot_cpu) forks the idle task. */
    ARCH_FORKS_IDLE,
    /**
     * 2.6.11 here: one CPU, so the arch builds no cpu-up path and init never calls smp_init; the
     * routine keeps its place in .text (addresses) but names its callee through a run-time
     * lookup, which the link check does not see.
     */
    NEVER_RUN
  }

  /** smp_init (kernel/smp.c) and fork_idle, as the generation brings up its CPUs. */
  static void buildSmp(Kernel k, SmpBringUp how) {
    var b = k.image.c("smp_init", "kernel/smp.c").params().locals(L.cpu, L.idle)
        .step("cpu = 1", x -> x.set(L.cpu, 1))
        .label("loop")
        .branchIf("done", "for_each_present_cpu(cpu) {", x -> x.get(L.cpu) >= k.cpus);
    if (how != SmpBringUp.FORK_IDLE) {
      // 2.6.32: no idle_threads_init yet; do_boot_cpu forks the idle task (kernel/smp.c, cpu.c)
      String text = "  cpu_up(cpu) -> _cpu_up() -> __cpu_up() -> " + k.arch.cpuUpSymbol()
          + "(cpu): forks the idle task and starts the CPU on its stack";
      Args args = Args.of(x -> x.get(L.cpu), x -> 0);
      if (how == SmpBringUp.NEVER_RUN) {
        b.callVia(text, x -> k.image.symbol(k.arch.cpuUpSymbol()), args, null);
      } else {
        b.call(text, k.arch.cpuUpSymbol(), args);
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
    k.profile.module(ProcessCreation.class).buildForkIdle(k);
  }
}
