package kstack.kernel;

import kstack.kernel.SchedCommon.L;
import java.util.Set;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The 2.4.22 scheduler's stack mechanics (kernel/sched.c@2.4.22; docs/research/i386-and-2.x.md
 * §1.4, §1.7): schedule() does the mm switch and the inline switch_to itself (no context_switch),
 * a task that slept resumes at switch_to's label 1 inside schedule(), a new one in ret_from_fork;
 * sched_yield only asks for a reschedule, which ret_from_sys_call performs. The goodness() loop
 * over the run queue is replaced by FIFO order, as the other profiles replace CFS: what is
 * modelled exactly is the call chain and what each step leaves on the stacks.
 */
public final class Sched24 implements Scheduler {

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHED_24, Feature.SCHEDULE_SWITCH_INLINE);
  }

  static final String SRC = "kernel/sched.c";
  /** NICE_TO_TICKS(nice) at HZ 100: ((20 - nice) >> 2) + 1 (kernel/sched.c@2.4.22:58-71). */
  static long niceToTicks(long nice) {
    return ((20 - nice) >> 2) + 1;
  }

  @Override
  public void build(Kernel k) {
    int ebx = k.arch.registers().of("ebx");
    RoutineBuilder b = k.image.c("schedule", SRC).params().asmlinkage().locals(L.prev, L.next)
        .step("pushl %ebx: gcc saves the callee-saved register switch_to's \"=b\" output "
            + "overwrites (system_call keeps current in it)", x -> x.push(x.reg(ebx)))
        .label("need_resched_back")
        .step("prev = current; this_cpu = prev->processor; release_kernel_lock(); "
            + "spin_lock_irq(&runqueue_lock)", x -> {
              k.arch.irqDisable(x);
              x.set(L.prev, k.current(x));
            })
        .step("switch (prev->state): a sleeping prev leaves the run queue (del_from_runqueue); "
            + "prev->need_resched = 0", x -> k.rq.setNeedResched(x.get(L.prev), false))
        .step("repeat_schedule: next = the task goodness() prefers (here: the run queue's head, "
            + "else idle_task(this_cpu)); counters all spent: recalculate", x ->
            x.set(L.next, pickNext(k, x, x.get(L.prev))))
        .step("sched_data->curr = next; task_set_cpu(next, this_cpu); spin_unlock_irq()", x -> {
          k.tasks.setTaskCpu(x.get(L.next), x.cpu().id());
          k.arch.irqEnable(x);
        })
        .branchIf("same", "if (prev == next) { prev->policy &= ~SCHED_YIELD; goto same_process; }",
            x -> x.get(L.prev) == x.get(L.next))
        .step("kstat.context_swtch++; prepare_to_switch(); next->mm ? switch_mm(oldmm, mm) : "
            + "(next->active_mm = oldmm; enter_lazy_tlb()); if (!prev->mm) prev->active_mm = NULL",
            x -> switchMm(k, x, x.get(L.prev), x.get(L.next)));
    k.arch.inlineSwitch(k, b);
    k.image.add(b.step("__schedule_tail(prev) [static inline]: prev->policy &= ~SCHED_YIELD", x -> { })
        .label("same")
        .step("same_process: reacquire_kernel_lock(current)", x -> { })
        .branchIf("need_resched_back", "if (current->need_resched) goto need_resched_back",
            x -> k.rq.needResched(k.current(x)))
        .step("popl %ebx", x -> x.set(ebx, x.pop()))
        .retVoid().build());
    k.image.add(k.image.c("schedule_tail", SRC).params(L.prev).asmlinkage()
        .step("__schedule_tail(prev) [inline]: prev->policy &= ~SCHED_YIELD", x -> { })
        .retVoid().build());
    buildWakeups(k);
  }

  /**
   * FIFO in place of goodness() (SchedCommon.pickNext, the other profiles' choice), then 2.4's
   * recalculation when the task it picks has spent its whole slice.
   */
  @Override
  public long pickNext(Kernel k, Exec x, long prev) {
    long next = SchedCommon.pickNext(k, x, prev, SchedCommon.TASK_DEAD_STATE);
    if (next != k.rq.idleTask(x.cpu().id()) && k.tasks.taskRead(next, TaskMember.counter) <= 0) {
      // the recalculate pass of schedule() (sched.c@2.4.22:617-626): every counter refilled
      for (long t : k.tasks.taskList()) {
        long nice = (int) k.tasks.taskRead(t, TaskMember.nice);
        k.tasks.taskWrite(t, TaskMember.counter, (k.tasks.taskRead(t, TaskMember.counter) >> 1) + niceToTicks(nice));
      }
    }
    return next;
  }

  private static void switchMm(Kernel k, Exec x, long prev, long next) {
    long mm = k.tasks.taskRead(next, TaskMember.mm);
    long oldmm = k.tasks.taskRead(prev, TaskMember.active_mm);
    if (mm == 0) {
      k.tasks.taskWrite(next, TaskMember.active_mm, oldmm);
    } else {
      x.set(k.mmRegister, PageTableRoot.of(k, mm)); // switch_mm: __pa(mm->pgd)
    }
    if (k.tasks.taskRead(prev, TaskMember.mm) == 0) {
      k.tasks.taskWrite(prev, TaskMember.active_mm, 0);
    }
    k.timeline.emit(new Event.ContextSwitch(x.cpu().id(), k.tasks.pid(prev), k.tasks.comm(prev), k.tasks.pid(next),
        k.tasks.comm(next)));
  }

  /** Wake-ups, completions, schedule_timeout and sched_yield (kernel/sched.c@2.4.22). */
  private void buildWakeups(Kernel k) {
    // try_to_wake_up is static inline (sched.c@2.4.22:349-373): no frame of its own
    k.image.add(k.image.c("wake_up_process", SRC).params(L.p)
        .ret("try_to_wake_up(p, 0) [inline]: p->state = TASK_RUNNING; add_to_runqueue(p); "
            + "reschedule_idle(p)", x -> k.rq.wakeUp(x.get(L.p), x.cpu().id(), "wake_up_process")
                ? 1 : 0).build());
    // wake_up_interruptible(q) = __wake_up(q, TASK_INTERRUPTIBLE, 1) (sched.h@2.4.22:608)
    k.image.add(k.image.c("__wake_up", SRC).params(L.q, L.mode, L.nr)
        .step("__wake_up_common(q, mode, nr, 0) [inline]: each waiter -> try_to_wake_up(p, 0), "
            + "which may reschedule_idle", x -> k.rq.wakeAll(x.get(L.q), x.cpu().id(),
                "a pipe write (wake_up_interruptible)"))
        .retVoid().build());
    SchedCommon.buildCompletion(k, SRC, SRC);
    TimerList.buildTimeout(k, TimerBh24.LAYOUT, SRC, SRC);
    buildYield(k);
  }

  /** sys_sched_yield only asks for a reschedule, which ret_from_sys_call performs. */
  @Override
  public void buildYield(Kernel k) {
    k.image.add(Syscalls.entry(k, "sched_yield", SRC)
        .step("nr_pending = nr_running - 1 (UP: current is on the run queue too); if (nr_pending) "
            + "{ current->policy |= SCHED_YIELD; current->need_resched = 1; move_last_runqueue(current) }",
            x -> {
              long cur = k.current(x);
              if (!k.rq.runQueue(x.cpu().id()).isEmpty()) {
                k.rq.setNeedResched(cur, true);
              }
            })
        .ret("return 0: ret_from_sys_call sees need_resched and calls schedule()", x -> 0).build());
  }

  /**
   * 2.4 preempts no kernel code (CONFIG_PREEMPT came in 2.5.4): an interrupt returning to kernel
   * mode goes straight back, so there is no preempt_schedule_irq to add.
   */
  @Override
  public void buildPreemptScheduleIrq(Kernel k) {
  }
}
