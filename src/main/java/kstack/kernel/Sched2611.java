package kstack.kernel;

import kstack.kernel.SchedCommon.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The O(1) scheduler of 2.6.11 (Feature.SCHED_O1_2611; kernel/sched.c@2.6.11): schedule() takes
 * the first task on the list of the lowest set bit of rq->active's priority bitmap, runs
 * context_switch inline (switch_to is the arch's inline asm) and calls the one-argument
 * finish_task_switch(prev), which drops the last reference of a task whose flags carry PF_DEAD
 * (there is no TASK_DEAD state yet: exit_notify sets the flag, exit.c@2.6.11:775-777). The model
 * keeps one FIFO per CPU in place of the two priority arrays (Sched.pickNext), as 2.4's keeps it in
 * place of goodness(): the call chain and what each step leaves on the stacks are exact.
 */
public final class Sched2611 implements Scheduler, SchedCommon.DeathRule {


  static final String SRC = "kernel/sched.c@2.6.11";
  /** include/linux/sched.h@2.6.11:721. */
  static final long PF_DEAD = 0x8;
  /** include/linux/sched.h@2.6.11:112: what schedule() writes into a PF_DEAD task's state. */
  static final long EXIT_DEAD = 32;

  /** Whether the task has made its last switch away (exit_notify set PF_DEAD). */
  private static boolean pfDead(Kernel k, long task) {
    return (k.tasks.taskRead(task, TaskMember.flags) & PF_DEAD) != 0;
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHED_O1_2611, Feature.SCHEDULE_SWITCH_INLINE);
  }

  @Override
  public boolean queuesRunningParent() {
    return true; // child-runs-first queues a running parent behind its child (buildWakeUpNewTask)
  }

  @Override
  public boolean dead(Kernel k, long task) {
    return pfDead(k, task);
  }

  @Override
  public boolean pfDead() {
    return true;
  }

  @Override
  public long pickNext(Kernel k, Exec x, long prev) {
    return SchedCommon.pickNext(k, x, prev, this);
  }

  @Override
  public void build(Kernel k) {
    buildSchedule(k);
    SchedCommon.wakeUpProcess(k, SRC + ":1123-1127", "try_to_wake_up(p, TASK_STOPPED | "
        + "TASK_TRACED | TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE, 0)", 15);
    SchedCommon.tryToWakeUp(k, SRC + ":985-1121", SchedCommon.L.sync, "rq = task_rq_lock(p); if (p->state "
        + "& state) { activate_task(p, rq): onto its priority list of rq->active; p->state = "
        + "TASK_RUNNING } (equal priorities in the model: TASK_PREEMPTS_CURR never holds)");
    buildWakeUpNewTask(k);
    SchedCommon.schedInit(k, SRC + ":4952-5000", "for each CPU's runqueue: rq->active = "
        + "rq->arrays, rq->expired = rq->arrays + 1, every priority list empty; "
        + "enter_lazy_tlb(&init_mm, current)");
    SchedCommon.initIdle(k, SRC + ":4052-4074", "idle->array = NULL; idle->prio = MAX_PRIO; "
        + "idle->state = TASK_RUNNING; set_task_cpu(idle, cpu); rq->curr = rq->idle = idle; "
        + "set_tsk_need_resched(idle) (not modelled); idle->thread_info->preempt_count = 0", false);
  }

  /** sys_sched_yield (sched.c@2.6.11:3715-3759): from the active to the expired array. */
  @Override
  public void buildYield(Kernel k) {
    SchedCommon.buildYield(k, SRC + ":3715-3759", "rq = this_rq_lock(); dequeue_task(current, "
        + "rq->active); enqueue_task(current, rq->expired); _raw_spin_unlock(&rq->lock); "
        + "preempt_enable_no_resched()");
  }

  @Override
  public void buildPreemptScheduleIrq(Kernel k) {
    SchedCommon.preemptScheduleIrq(k, SRC + ":2883-2916",
        "add_preempt_count(PREEMPT_ACTIVE); local_irq_enable()", "schedule()", "schedule",
        Args.none(), // asmlinkage void schedule(void): kernel/sched.c@2.6.11:2662
        "local_irq_disable(); sub_preempt_count(PREEMPT_ACTIVE)",
        "if (test_thread_flag(TIF_NEED_RESCHED)) goto need_resched");
  }

  private void buildSchedule(Kernel k) {
    RoutineBuilder b = k.image.c("schedule", SRC + ":2662-2828").params().asmlinkage()
        .locals(L.prev, L.next)
        .label("need_resched")
        .step("preempt_disable(); prev = current; release_kernel_lock(prev); rq = this_rq(); "
            + "schedstat_inc(rq, sched_cnt); run_time from sched_clock()",
            x -> x.set(L.prev, k.current(x)))
        .step("spin_lock_irq(&rq->lock); if (unlikely(prev->flags & PF_DEAD)) prev->state = "
            + "EXIT_DEAD", x -> {
              k.arch.irqDisable(x);
              if (pfDead(k, x.get(L.prev))) {
                k.tasks.setState(x.get(L.prev), EXIT_DEAD);
              }
            })
        .step("if (prev->state) deactivate_task(prev, rq); if (!rq->nr_running) next = rq->idle; "
            + "else { array = rq->active; idx = sched_find_first_bit(array->bitmap); queue = "
            + "array->queue + idx; next = list_entry(queue->next, task_t, run_list) } (FIFO in "
            + "place of the priority arrays)", x -> x.set(L.next,
                pickNext(k, x, x.get(L.prev))))
        .step("clear_tsk_need_resched(prev); prev->timestamp = prev->last_ran = now",
            x -> k.rq.setNeedResched(x.get(L.prev), false))
        .branchIf("same", "if (likely(prev != next)) { ... } else spin_unlock_irq(&rq->lock)",
            x -> SchedCommon.noSwitch(k, x))
        .step("  rq->curr = next; ++*switch_count; prev = context_switch(rq, prev, next) [inline]: "
            + "switch_mm(oldmm, mm, next), or enter_lazy_tlb(oldmm, next) for a task with no mm",
            x -> SchedCommon.prepareSwitch(k, x, x.get(L.prev), x.get(L.next)));
    k.arch.inlineSwitch(k, b);
    b.call("  barrier(); finish_task_switch(prev) [prev: the task switched away from, as "
            + "switch_to returned it]", "finish_task_switch", Args.of(x -> x.retval()))
        .label("same")
        .step("prev = current; reacquire_kernel_lock(prev); preempt_enable_no_resched()", x -> { })
        .branchIf("need_resched", "if (unlikely(test_thread_flag(TIF_NEED_RESCHED))) goto "
            + "need_resched", x -> k.rq.needResched(k.current(x)))
        .retVoid();
    k.image.add(b.build());
    k.image.add(k.image.c("finish_task_switch", SRC + ":1326-1351").params(L.prev)
        .step("rq = this_rq(); mm = rq->prev_mm; rq->prev_mm = NULL; prev_task_flags = "
            + "prev->flags; finish_arch_switch(rq, prev): spin_unlock_irq(&rq->lock)", x -> {
              k.tasks.taskWrite(x.get(L.prev), TaskMember.on_cpu, 0);
              k.arch.irqEnable(x);
            })
        .branchIf("alive", "if (mm) mmdrop(mm); if (unlikely(prev_task_flags & PF_DEAD))",
            x -> !pfDead(k, x.get(L.prev)))
        .step("  put_task_struct(prev): drop the reference the task held on itself",
            x -> Fork.putTaskStruct(k, x.get(L.prev)))
        .label("alive")
        .retVoid().build());
    k.image.add(k.image.c("schedule_tail", SRC + ":1358-1365").params(L.prev).asmlinkage()
        .call("finish_task_switch(prev)", "finish_task_switch", Args.of(x -> x.get(L.prev)))
        .step("if (current->set_child_tid) put_user(current->pid, current->set_child_tid)",
            x -> { })
        .retVoid().build());
  }

  /** For Exit: the end of 2.6.11's exit_notify and do_exit (exit.c@2.6.11:775-777,837-839). */
  static void exitTail(Kernel k, RoutineBuilder b) {
    b.step("(exit_notify, continued) preempt_disable(); tsk->flags |= PF_DEAD: the final "
            + "put_task_struct happens after the last schedule()", x -> {
              long t = k.current(x);
              k.tasks.taskWrite(t, TaskMember.flags, k.tasks.taskRead(t, TaskMember.flags) | PF_DEAD);
            })
        .call("BUG_ON(!(current->flags & PF_DEAD)); schedule(): the last switch away; "
            + "finish_task_switch() in the next task sees PF_DEAD", "schedule", Args.inPlace());
  }

  /**
   * wake_up_new_task(p, clone_flags) (sched.c@2.6.11:1205-1279): a child that does not share the
   * parent's mm runs first (1229-1245), ahead of current on current's priority list, and current
   * gets need_resched, so it leaves the CPU at its next preemption check (for fork, the return to
   * user mode); a CLONE_VM child, every kernel thread, goes to the tail. An O(1) task stays on its
   * list while it runs; the model's queue holds no running task, so here it gets p, then current,
   * at its head, and schedule() leaves current there, next in line behind the child.
   */
  private static void buildWakeUpNewTask(Kernel k) {
    k.image.add(k.image.c("wake_up_new_task", SRC + ":1205-1279").params(L.p, L.clone_flags)
        .step("rq = task_rq_lock(p); cpu = task_cpu(p); this_cpu = smp_processor_id(); "
            + "p->sleep_avg lowered by CHILD_PENALTY; p->prio = effective_prio(p)",
            x -> SchedCommon.newTaskRunning(k, x, x.get(L.p)))
        .branchIf("last", "if (likely(cpu == this_cpu)) { if (!(clone_flags & CLONE_VM)) {",
            x -> (x.get(L.clone_flags) & Kernel.CLONE_VM) != 0
                || k.tasks.taskCpu(x.get(L.p)) != x.cpu().id())
        .branchIf("noArray", "  if (unlikely(!current->array)) (the idle task is on no list)",
            x -> k.current(x) == k.rq.idleTask(x.cpu().id()))
        .step("  else { p->prio = current->prio; list_add_tail(&p->run_list, &current->run_list): "
            + "p just ahead of current; p->array = current->array; nr_active++; nr_running++ }",
            x -> {
              long p = x.get(L.p);
              var rq = k.rq.runQueue(k.tasks.taskCpuChecked(p));
              rq.addFirst(k.current(x));
              rq.addFirst(p);
              k.rq.setOnRunqueue(p, true);
            })
        .jump("resched", "  }")
        .label("noArray")
        .step("    __activate_task(p, rq)", x -> k.rq.enqueue(k.tasks.taskCpuChecked(x.get(L.p)), x.get(L.p)))
        .label("resched")
        .step("  set_need_resched(): current's TIF_NEED_RESCHED, the child runs first",
            x -> k.rq.setNeedResched(k.current(x), true))
        .jump("out", "}")
        .label("last")
        .step("else __activate_task(p, rq): run child last, at the tail",
            x -> k.rq.enqueue(k.tasks.taskCpuChecked(x.get(L.p)), x.get(L.p)))
        .label("out")
        .step("current->sleep_avg lowered by PARENT_PENALTY; task_rq_unlock(this_rq, &flags)",
            x -> { })
        .retVoid().build());
  }
}
