package kstack.machine;

import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * User processes parked at their wait point. A process waiting for a command still holds its CPU;
 * when the goal needs work that is queued behind it, it calls sched_yield() (a real system call, so
 * the trace shows it), as a process spinning in user mode would be preempted at its next tick, and
 * stays parked (marked on the run queues as no work, journaled) until it is back at its wait point.
 */
final class Parking {
  private final Machine m;
  private final Kernel kernel;
  private final Cpu[] cpus;

  Parking(Machine m, Cpu[] cpus) {
    this.m = m;
    this.kernel = m.kernel();
    this.cpus = cpus;
  }

  /** The task is back at its wait point: it no longer waits for the CPU it yielded. */
  void unpark(long task) {
    kernel.rq.markNoWork(task, false);
  }

  /** Makes the first process waiting where work is queued behind it yield; whether one did. */
  boolean yieldForWork() {
    for (int c = 0; c < cpus.length; c++) {
      if (m.user().isWaitPoint(cpus[c].pc()) && hasUnparkedWork(c)) {
        long task = kernel.current(c);
        kernel.rq.markNoWork(task, true);
        m.timeline().emit(new Event.YieldForCommand(c, kernel.tasks.pid(task),
            kernel.tasks.comm(task)));
        m.user().enterSyscall(cpus[c], "sched_yield", new long[0], false);
        return true;
      }
    }
    return false;
  }

  /** Whether cpu c's run queue holds a task that has not yielded to wait for its command. */
  boolean hasUnparkedWork(int c) {
    // the run queue counts its unmarked tasks: O(1) with a million parked tasks queued
    return kernel.rq.runQueue(c).hasUnmarked();
  }
}
