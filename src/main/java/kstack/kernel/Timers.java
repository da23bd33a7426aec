package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import kstack.trace.JCell;
import kstack.trace.JList;
import kstack.trace.Timeline;

/**
 * Time as the kernel keeps it: the clock, the pending hrtimers of every CPU (kernel/time/hrtimer.c;
 * 2.4's timer_list), and each CPU's pending softirq bits (local_softirq_pending). Every change is
 * recorded on the timeline.
 */
public final class Timers {
  private final Kernel k;
  private final Timeline timeline;
  private final JList<Timer> timers;
  private final JCell<Long> clockNs;
  private final List<JCell<Integer>> softirqPending = new ArrayList<>();

  /**
   * A pending hrtimer on a CPU: at expiry the timer interrupt runs {@code function}
   * (hrtimer_wakeup for a sleeper, tick_sched_timer for the scheduler tick).
   */
  public record Timer(long expiresNs, long task, long sleeper, int cpu, String function) {}

  Timers(Kernel k) {
    this.k = k;
    this.timeline = k.timeline;
    this.timers = new JList<>(timeline);
    this.clockNs = new JCell<>(timeline, 0L);
    for (int c = 0; c < k.cpus; c++) {
      softirqPending(c);
    }
  }

  public long now() {
    return clockNs.get();
  }

  public void setClock(long ns) {
    clockNs.set(ns);
  }

  public void addTimer(long expires, long task, long sleeper) {
    addTimer(expires, task, sleeper, "hrtimer_wakeup");
  }

  /** A timer whose expiry runs function (hrtimer_wakeup, or 2.4's process_timeout). */
  public void addTimer(long expires, long task, long sleeper, String function) {
    timers.addLast(new Timer(expires, task, sleeper, k.tasks.taskCpuChecked(task), function));
  }

  /** The scheduler tick's hrtimer of a CPU, due now. */
  public void addTickNow(int cpu) {
    timers.addLast(new Timer(now(), 0, 0, cpu, Irq.tickHandler(k)));
  }

  /** The earliest timer of a CPU that has expired by now, or null. */
  public Timer expiredTimer(int cpu) {
    Timer best = null;
    for (Timer t : timers.snapshot()) {
      if (t.cpu() == cpu && t.expiresNs() <= now()
          && (best == null || t.expiresNs() < best.expiresNs())) {
        best = t;
      }
    }
    return best;
  }

  public void removeTimer(Timer t) {
    timers.remove(t);
  }

  public List<Timer> pendingTimers() {
    return timers.snapshot();
  }

  /** local_softirq_pending() of a CPU (bit numbers as in include/linux/interrupt.h). */
  public int softirqPending(int cpu) {
    while (softirqPending.size() <= cpu) {
      softirqPending.add(new JCell<>(timeline, 0));
    }
    return softirqPending.get(cpu).get();
  }

  public void setSoftirqPending(int cpu, int bits) {
    softirqPending(cpu);
    softirqPending.get(cpu).set(bits);
  }
}
