package kstack.kernel;

import kstack.kernel.SchedCommon.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The scheduler of 2.6.32 (kernel/sched.c@2.6.32:5697-5766, 2897-2974, 2999-3047): schedule() picks
 * the next task and runs context_switch inline, whose switch_to is the arch's inline asm; the
 * switched-out task resumes inside schedule() at the address switch_to saved in its thread.ip.
 */
public final class Sched2632 implements Scheduler {

  static final String SRC = "kernel/sched.c";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHEDULE_SWITCH_INLINE);
  }

  @Override
  public void build(Kernel k) {
    // asmlinkage void __sched schedule(void): kernel/sched.c@2.6.32.67:5697
    RoutineBuilder b = k.image.c("schedule", SRC).params().asmlinkage().locals(L.prev, L.next)
        .label("need_resched")
        .step("preempt_disable(); rq = cpu_rq(cpu); prev = rq->curr; release_kernel_lock(prev); "
            + "spin_lock_irq(&rq->lock); update_rq_clock(rq); clear_tsk_need_resched(prev)", x -> {
              k.arch.irqDisable(x);
              x.set(L.prev, k.current(x));
              k.rq.setNeedResched(x.get(L.prev), false);
            })
        .step("if (prev->state) deactivate_task(rq, prev); put_prev_task(rq, prev); "
            + "next = pick_next_task(rq)", x -> x.set(L.next, pickNext(k, x, x.get(L.prev))))
        .branchIf("same", "if (likely(prev != next)) {", x -> SchedCommon.noSwitch(k, x))
        .step("  rq->curr = next; context_switch(rq, prev, next) [inline]: prepare_task_switch(); "
            + "switch_mm() or enter_lazy_tlb()",
            x -> SchedCommon.prepareSwitch(k, x, x.get(L.prev), x.get(L.next)));
    k.arch.inlineSwitch(k, b);
    b.call("  barrier(); finish_task_switch(this_rq(), prev) [prev: the task switched away from, "
            + "as switch_to returned it]", "finish_task_switch", Args.of(x -> 0, x -> x.retval()))
        .label("same")
        .step("post_schedule(rq); reacquire_kernel_lock(current); preempt_enable_no_resched()", x -> { })
        .branchIf("need_resched", "if (need_resched()) goto need_resched", x -> k.rq.needResched(k.current(x)))
        .retVoid();
    k.image.add(b.build());
    k.image.add(k.image.c("finish_task_switch", SRC).params(L.rq, L.prev)
        .step("prev_state = prev->state; finish_lock_switch(rq, prev): spin_unlock_irq", x -> {
          k.tasks.taskWrite(x.get(L.prev), TaskMember.on_cpu, 0);
          k.arch.irqEnable(x);
        })
        .branchIf("alive", "if (unlikely(prev_state == TASK_DEAD))",
            x -> k.tasks.state(x.get(L.prev)) != Kernel.TASK_DEAD)
        .step("  put_task_struct(prev) [inline]: drop the reference the task held on itself",
            x -> Fork.putTaskStruct(k, x.get(L.prev)))
        .label("alive")
        .retVoid().build());
    k.image.add(k.image.c("schedule_tail", SRC).params(L.prev).asmlinkage()
        .call("finish_task_switch(rq, prev)", "finish_task_switch",
            Args.of(x -> 0, x -> x.get(L.prev)))
        .step("post_schedule(rq); if (current->set_child_tid) put_user(task_pid_vnr(current), ...)",
            x -> { })
        .retVoid().build());
    // 2.6.32's init_idle (sched.c@2.6.32.67) sets no PF_IDLE (4.10) and keeps the comm the idle
    // task was forked with ("swapper"); the swapper/N names came later
    SchedCommon.buildWakeups(k, CallShape.of(k), SRC, "__sched_fork(idle); idle->state = "
        + "TASK_RUNNING; __set_task_cpu(idle, cpu); rq->curr = rq->idle = idle; "
        + "task_thread_info(idle)->preempt_count = 0", false,
        // void wake_up_new_task(struct task_struct *p, unsigned long clone_flags):
        // kernel/sched.c@2.6.32.67:2764
        L.p, L.clone_flags);
  }

  /** sched_yield (kernel/sched.c@2.6.32.67): the body calls schedule() itself. */
  @Override
  public void buildYield(Kernel k) {
    SchedCommon.buildYield(k, SchedCommon.SRC,
        "rq = this_rq_lock(); current->sched_class->yield_task(rq)");
  }

  @Override
  public void buildPreemptScheduleIrq(Kernel k) {
    SchedCommon.preemptScheduleIrq(k, "kernel/sched.c@2.6.32.67:5896-5916",
        "add_preempt_count(PREEMPT_ACTIVE); local_irq_enable()", "schedule()", "schedule",
        Args.none(), // asmlinkage void schedule(void): kernel/sched.c@2.6.32.67:5697
        "local_irq_disable(); sub_preempt_count(PREEMPT_ACTIVE)", "while (need_resched())");
  }

  @Override
  public long pickNext(Kernel k, Exec x, long prev) {
    return SchedCommon.pickNext(k, x, prev, SchedCommon.TASK_DEAD_STATE);
  }
}
