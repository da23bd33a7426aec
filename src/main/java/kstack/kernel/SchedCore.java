package kstack.kernel;

import kstack.kernel.SchedCommon.L;
import kstack.exec.Args;
import kstack.exec.Exec;

/**
 * The scheduler of kernel/sched/core.c and kernel/sched/idle.c (4.x on): schedule() calls
 * __schedule, whose context_switch is always-inline (core.c@4.16.13:2822, @6.19:5201), so it is a
 * step of __schedule, not a frame; switch_to is a macro around the arch's switch (x86_64
 * __switch_to_asm, arm64 __switch_to). The idle task loops in cpu_startup_entry → do_idle. The
 * generations differ in schedule()'s first step and in where sched_yield's body lives.
 */
abstract class SchedCore implements Scheduler {

  private final String submitWork;
  private final boolean doSchedYield;

  /**
   * @param submitWork schedule()'s first step
   * @param doSchedYield whether sched_yield's body is the separate do_sched_yield()
   */
  SchedCore(String submitWork, boolean doSchedYield) {
    this.submitWork = submitWork;
    this.doSchedYield = doSchedYield;
  }

  @Override
  public void build(Kernel k) {
    String src = SchedCommon.SRC;
    k.image.add(k.image.c("schedule", src).params()
        .step(submitWork, x -> { })
        .label("again")
        .call("preempt_disable(); __schedule(false)", "__schedule", Args.of(x -> 0))
        .branchIf("again", "sched_preempt_enable_no_resched(); loop while need_resched()",
            x -> k.rq.needResched(k.current(x)))
        .retVoid().build());
    k.image.add(k.image.c("schedule_preempt_disabled", src).params()
        .call("sched_preempt_enable_no_resched(); schedule()", "schedule", Args.inPlace())
        .step("preempt_disable()", x -> { }).retVoid().build());
    k.image.add(k.image.c("schedule_idle", src).params()
        .label("again")
        .call("__schedule(false)", "__schedule", Args.of(x -> 0))
        .branchIf("again", "loop while need_resched()", x -> k.rq.needResched(k.current(x)))
        .retVoid().build());
    buildSchedule(k, src);
    k.image.add(k.image.c("finish_task_switch", src).params(L.prev)
        .step("prev->on_cpu = 0; finish_lock_switch(): rq unlock, local_irq_enable()", x -> {
          k.tasks.taskWrite(x.get(L.prev), TaskMember.on_cpu, 0);
          k.arch.irqEnable(x);
        })
        .branchIf("alive", "if (prev->state != TASK_DEAD) done",
            x -> k.tasks.state(x.get(L.prev)) != Kernel.TASK_DEAD)
        .call("put_task_stack(prev): the dead task's stack is released", "put_task_stack",
            Args.of(x -> x.get(L.prev)))
        .label("alive")
        .ret("return this_rq()", x -> 0).build());
    // asmlinkage __visible (core.c@4.16.13): on i386 prev arrives on the stack
    k.image.add(k.image.c("schedule_tail", src).params(L.prev).asmlinkage()
        .call("finish_task_switch(prev)", "finish_task_switch", Args.of(x -> x.get(L.prev)))
        .retVoid().build());
    SchedCommon.buildWakeups(k, CallShape.of(k), src, "idle->state = TASK_RUNNING; "
        + "idle->flags |= PF_IDLE; __set_task_cpu(idle, cpu); rq->curr = rq->idle = idle; "
        + "sprintf(idle->comm, \"swapper/%d\", cpu)", true,
        // void wake_up_new_task(struct task_struct *p): core.c@4.16.13:2449, @6.19:4736
        L.p);
    buildIdle(k);
  }

  private void buildSchedule(Kernel k, String src) {
    k.image.add(k.image.c("__schedule", src).params(L.preempt).locals(L.prev, L.next)
        .step("local_irq_disable(); rq_lock(rq); prev = rq->curr (current)", x -> {
          k.arch.irqDisable(x);
          x.set(L.prev, k.current(x));
        })
        .step("deactivate prev if it sleeps, or requeue it; next = pick_next_task(rq, prev)",
            x -> x.set(L.next, pickNext(k, x, x.get(L.prev))))
        .step("clear_tsk_need_resched(prev)", x -> k.rq.setNeedResched(x.get(L.prev), false))
        .branchIf("same", "if (prev == next) no switch", x -> SchedCommon.noSwitch(k, x))
        .step("rq->curr = next; context_switch(rq, prev, next) [inlined]: switch_mm to next's mm",
            x -> SchedCommon.prepareSwitch(k, x, x.get(L.prev), x.get(L.next)))
        .call(k.arch.switchToText(), k.arch.switchToSymbol(),
            Args.of(x -> x.get(L.prev), x -> x.get(L.next)))
        .call("finish_task_switch(prev) [prev = the task we switched away from, in rax]",
            "finish_task_switch", Args.of(x -> x.retval()))
        .label("same")
        .retVoid().build());
  }

  /** cpu_startup_entry → do_idle → cpuidle_idle_call → default_idle_call → arch_cpu_idle. */
  private static void buildIdle(Kernel k) {
    String src = SchedCommon.IDLE_SRC;
    k.image.add(k.image.c("cpu_startup_entry", src).params(L.state)
        .label("loop")
        .call("while (1) do_idle()", "do_idle", Args.inPlace())
        .jump("loop", "loop").build());
    k.image.add(k.image.c("do_idle", src).params()
        .label("check")
        .branchIf("resched", "while (!need_resched()) {", x -> k.rq.needResched(k.current(x)))
        .call("  cpuidle_idle_call()", "cpuidle_idle_call", Args.inPlace())
        .jump("check", "}")
        .label("resched")
        .call("schedule_idle()", "schedule_idle", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpuidle_idle_call", src).params()
        .call("no cpuidle driver: default_idle_call()", "default_idle_call", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("default_idle_call", src).params()
        .call("arch_cpu_idle()", "arch_cpu_idle", Args.inPlace())
        .retVoid().build());
  }

  /**
   * sched_yield (kernel/sched/core.c): 4.16's SYSCALL_DEFINE0 body calls schedule() itself; later
   * kernels move the body into do_sched_yield(). A running task goes to the tail of its run queue.
   */
  @Override
  public void buildYield(Kernel k) {
    String src = SchedCommon.SRC;
    String yield = "current->sched_class->yield_task(rq)";
    if (!doSchedYield) {
      SchedCommon.buildYield(k, src, "rq = this_rq_lock(); " + yield);
      return;
    }
    k.image.add(Syscalls.entry(k, "sched_yield", src)
        .call("do_sched_yield()", "do_sched_yield", Args.inPlace()).ret("return 0", x -> 0).build());
    k.image.add(k.image.c("do_sched_yield", src).params()
        .step("rq = this_rq_lock_irq(); " + yield, x -> { })
        .call("schedule()", "schedule", Args.inPlace()).retVoid().build());
  }

  @Override
  public void buildPreemptScheduleIrq(Kernel k) {
    SchedCommon.preemptScheduleIrq(k, SchedCommon.SRC, "preempt_disable(); local_irq_enable()",
        "__schedule(true)", "__schedule",
        // __schedule(bool preempt) core.c@4.16.13:3351; __schedule(int sched_mode) with
        // SM_PREEMPT = 1, core.c@6.19:6439,6722
        Args.of(x -> 1), "local_irq_disable(); sched_preempt_enable_no_resched()",
        "while (need_resched())");
  }

  @Override
  public long pickNext(Kernel k, Exec x, long prev) {
    return SchedCommon.pickNext(k, x, prev, SchedCommon.TASK_DEAD_STATE);
  }
}
