package kstack.arch.x86_64;

import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * arch/x86/kernel/process_64.c and process.c: __switch_to (which makes next current and publishes
 * its stack top), copy_thread forging a child's fork_frame, start_thread for exec, and the idle halt.
 */
public final class X86Process {
  private X86Process() {}

  /** start_thread (process_64.c@4.16.13, @6.19) and the idle routines, linked after copy_thread. */
  static void buildStartThread(Kernel k) {
    k.add(k.c("start_thread", "arch/x86/kernel/process_64.c").params("regs", "new_ip", "new_sp")
        .call("start_thread_common(regs, new_ip, new_sp, __USER_CS, __USER_DS, 0)",
            "start_thread_common", x -> new long[] {x.local("regs"), x.local("new_ip"),
                x.local("new_sp"), X86_64.USER_CS, X86_64.USER_DS, 0})
        .retVoid().build());
    k.add(k.c("start_thread_common", "arch/x86/kernel/process_64.c")
        .params("regs", "new_ip", "new_sp", "_cs", "_ss", "_ds")
        .step("loadsegment(fs/es/ds, _ds); load_gs_index(_ds)", x -> { })
        .step("regs->ip = new_ip; regs->sp = new_sp; regs->cs = _cs; regs->ss = _ss; "
            + "regs->flags = X86_EFLAGS_IF", x -> {
              long r = x.local("regs");
              x.write(r + k.off("pt_regs", "ip"), x.local("new_ip"));
              x.write(r + k.off("pt_regs", "sp"), x.local("new_sp"));
              x.write(r + k.off("pt_regs", "cs"), x.local("_cs"));
              x.write(r + k.off("pt_regs", "ss"), x.local("_ss"));
              x.write(r + k.off("pt_regs", "flags"), X86_64.EFLAGS_IF);
              x.write(r + k.off("pt_regs", "cx"), x.local("new_ip"));
              x.write(r + k.off("pt_regs", "r11"), X86_64.EFLAGS_IF);
            })
        .retVoid().build());
    buildIdle(k);
  }

  /** arch_cpu_idle and default_idle (arch/x86/kernel/process.c), shared with i386. */
  public static void buildIdle(Kernel k) {
    String idleSrc = "arch/x86/kernel/process.c";
    k.add(k.c("arch_cpu_idle", idleSrc).params()
        .call(k.profile.has(Feature.SCHEDULE_LOOP) ? "static_call(x86_idle)() = default_idle()"
            : "x86_idle() = default_idle()", "default_idle", null)
        .retVoid().build());
    buildDefaultIdle(k);
  }

  /**
   * cpu_idle, 2.6.32's idle loop, the same in process_32.c@2.6.32:85-122 and process_64.c@2.6.32:112:
   * halt in pm_idle (= default_idle) until need_resched, then schedule().
   */
  public static void buildCpuIdle26(Kernel k, String src, String inner) {
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
    k.add(k.c("cpu_idle", src).params()
        .step(prologue, x -> { })
        .label("loop")
        .step(loopHead, x -> { })
        .label("check")
        .branchIf("resched", "  while (!need_resched()) { " + inner,
            x -> k.needResched(k.current(x)))
        .call(idleCall, "default_idle", null)
        .jump("check", "  }")
        .label("resched")
        .step(beforeSchedule, x -> { })
        .call("  schedule()", "schedule", null)
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
    k.add(k.c("default_idle", idleSrc).params()
        .step(halt, x -> {
          k.arch.irqEnable(x);
          if (!k.needResched(k.current(x))) {
            x.stay();
          }
        })
        .retVoid().build());
  }
}
