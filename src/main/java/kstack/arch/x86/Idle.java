package kstack.arch.x86;

import kstack.exec.Args;
import kstack.kernel.Kernel;

/**
 * The idle loop's x86 side: arch_cpu_idle and default_idle (arch/x86/kernel/process.c) since the
 * generic idle loop, and before it cpu_idle in process_32.c / process_64.c, shared by i386 and x86_64.
 */
public final class Idle {
  private Idle() {}

  /** arch_cpu_idle's call of x86_idle through a function pointer (process.c@4.16.13). */
  public static final String X86_IDLE = "x86_idle() = default_idle()";
  /** arch_cpu_idle's call of x86_idle through a static call (process.c@6.19). */
  public static final String STATIC_CALL_X86_IDLE = "static_call(x86_idle)() = default_idle()";

  /** arch_cpu_idle and default_idle (arch/x86/kernel/process.c); idleCall is how x86_idle is reached. */
  public static void buildArchCpuIdle(Kernel k, String idleCall) {
    String idleSrc = "arch/x86/kernel/process.c";
    k.image.add(k.image.c("arch_cpu_idle", idleSrc).params()
        .call(idleCall, "default_idle", Args.inPlace())
        .retVoid().build());
    buildDefaultIdle(k);
  }

  /**
   * cpu_idle with tick_nohz around the inner loop, the same in process_32.c@2.6.32:85-122 and
   * process_64.c@2.6.32:112: halt in pm_idle (= default_idle) until need_resched, then schedule().
   */
  public static void buildCpuIdleTickNohz(Kernel k, String src, String inner) {
    buildCpuIdle(k, src, "current_thread_info()->status |= TS_POLLING; boot_init_stack_canary()",
        "while (1) { tick_nohz_stop_sched_tick(1)", inner,
        "  tick_nohz_restart_sched_tick(); preempt_enable_no_resched()", "  preempt_disable()");
  }

  /**
   * The 2.6 cpu_idle loop in a generation's words: prologue, the loop head, the inner loop's work
   * before pm_idle, and what comes around schedule() (2.6.11 has no tick_nohz and no preemption
   * bookkeeping there: process.c@2.6.11:146-168).
   */
  public static void buildCpuIdle(Kernel k, String src, String prologue, String loopHead,
      String inner, String beforeSchedule, String afterSchedule) {
    buildCpuIdle(k, src, prologue, loopHead, inner, "    pm_idle() = default_idle()",
        beforeSchedule, afterSchedule);
    buildDefaultIdle(k);
  }

  /** The same loop with the generation's own call of the idle routine; default_idle is the caller's. */
  public static void buildCpuIdle(Kernel k, String src, String prologue, String loopHead,
      String inner, String idleCall, String beforeSchedule, String afterSchedule) {
    k.image.add(k.image.c("cpu_idle", src).params()
        .step(prologue, x -> { })
        .label("loop")
        .step(loopHead, x -> { })
        .label("check")
        .branchIf("resched", "  while (!need_resched()) { " + inner,
            x -> k.rq.needResched(k.current(x)))
        .call(idleCall, "default_idle", Args.inPlace())
        .jump("check", "  }")
        .label("resched")
        .step(beforeSchedule, x -> { })
        .call("  schedule()", "schedule", Args.inPlace())
        .step(afterSchedule, x -> { })
        .jump("loop", "}").build());
  }

  /** default_idle: safe_halt() until something needs the CPU (arch/x86/kernel/process.c). */
  public static void buildDefaultIdle(Kernel k) {
    buildDefaultIdle(k, "arch/x86/kernel/process.c",
        "safe_halt(): sti; hlt — the CPU sleeps until something needs it");
  }

  /** default_idle as one step, the halt, in a generation's file and words. */
  public static void buildDefaultIdle(Kernel k, String idleSrc, String halt) {
    k.image.add(k.image.c("default_idle", idleSrc).params()
        .step(halt, x -> {
          k.arch.irqEnable(x);
          if (!k.rq.needResched(k.current(x))) {
            x.stay();
          }
        })
        .retVoid().build());
  }
}
