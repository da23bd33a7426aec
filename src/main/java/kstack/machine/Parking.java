package kstack.machine;

import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.trace.Event;
import kstack.trace.JList;

/**
 * User processes parked at their wait point. A process waiting for a command still holds its CPU;
 * when the goal needs work that is queued behind it, it calls sched_yield() (a real system call, so
 * the trace shows it), as a process spinning in user mode would be preempted at its next tick, and
 * stays parked (journaled) until it is back at its wait point.
 */
final class Parking {
  private final Machine m;
  private final Kernel kernel;
  private final Cpu[] cpus;
  /** User processes that yielded from their wait point and will only return to it. */
  private final JList<Long> parked;

  Parking(Machine m, Cpu[] cpus) {
    this.m = m;
    this.kernel = m.kernel();
    this.cpus = cpus;
    this.parked = new JList<>(m.timeline());
  }

  /** The task is back at its wait point: it no longer waits for the CPU it yielded. */
  void unpark(long task) {
    parked.remove(task);
  }

  /** Makes the first process waiting where work is queued behind it yield; whether one did. */
  boolean yieldForWork() {
    for (int c = 0; c < cpus.length; c++) {
      if (m.user().isWaitPoint(cpus[c].pc()) && hasUnparkedWork(c)) {
        long task = kernel.current(c);
        parked.addLast(task);
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
    // a set, not parked.contains: with thousands of parked tasks (bench on 2.4, whose fork
    // reschedules the parent) the list scan made every yield quadratic
    java.util.Set<Long> waiting = new java.util.HashSet<>(parked.snapshot());
    for (long t : kernel.rq.runQueue(c).snapshot()) {
      if (!waiting.contains(t)) {
        return true;
      }
    }
    return false;
  }
}
