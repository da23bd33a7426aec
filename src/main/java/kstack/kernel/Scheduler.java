package kstack.kernel;

import kstack.exec.Exec;
import kstack.profile.Module;

/**
 * The scheduler's stack mechanics as one generation implements them: schedule() and the routines a
 * switch passes through, the wake-ups, the idle task's setup, sched_yield and
 * preempt_schedule_irq. The run queue is a FIFO per CPU in every generation (what is modelled
 * exactly is the call chain and what each step leaves on the stacks); what differs is the shape of
 * schedule() (2.4's and 2.6's with switch_to inline, 4.16's __schedule, 6.x's schedule loop), how
 * a dead task is recognised, and the words of each step.
 */
public interface Scheduler extends Module {
  /**
   * Adds schedule() and its helpers, the wake-ups and the idle task's setup to the image, in the
   * generation's order (the order gives the addresses).
   */
  void build(Kernel k);

  /** sys_sched_yield, where the generation's system calls are built. */
  void buildYield(Kernel k);

  /** preempt_schedule_irq, where the generic interrupt code is built. */
  void buildPreemptScheduleIrq(Kernel k);

  /** The bookkeeping half of schedule(): the task that runs next on x's CPU after prev. */
  long pickNext(Kernel k, Exec x, long prev);
}
