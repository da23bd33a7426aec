package kstack.kernel;

import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.trace.Event;

/**
 * What every generation's interrupt code shares: the preempt_count offsets and softirq numbers,
 * preempt_count in the arch's place, the demo device, and the identity of a pending timer in
 * registers. The generation's {@link IrqCore} module builds the routines at this point of the
 * image's order.
 */
final class Irq {
  enum L implements Local { data, dev_id, irq }

  private Irq() {}

  static final int TIMER_SOFTIRQ = 1;
  static final int TASKLET_SOFTIRQ = 6;
  static final long HARDIRQ_OFFSET = 1 << 16;
  static final long SOFTIRQ_OFFSET = 1 << 8;

  static void build(Kernel k) {
    k.profile.module(IrqCore.class).build(k);
  }

  /** The tick's handler in this generation, the name the machine's tick timer carries. */
  static String tickHandler(Kernel k) {
    return k.profile.module(IrqCore.class).tickHandler();
  }

  /**
   * The demo device's handler and its tasklet: the simulator's own module, every generation from
   * 2.6 on; nr is the generation's TASKLET_SOFTIRQ.
   */
  static void buildDemoDevice(Kernel k, int nr) {
    String demo = "kstack_demo module (the simulator's own)";
    k.image.add(k.image.c("kstack_demo_interrupt", demo).params(L.irq, L.dev_id)
        .step("tasklet_schedule(&kstack_demo_tasklet): raise TASKLET_SOFTIRQ", x -> {
          int cpu = x.cpu().id();
          k.timers.setSoftirqPending(cpu, k.timers.softirqPending(cpu) | (1 << nr));
        })
        .ret("return IRQ_HANDLED", x -> 1).build());
    k.image.add(k.image.c("kstack_demo_tasklet", demo).params(L.data)
        .step("the deferred half of the demo device's interrupt (softirq context)", x ->
            k.timeline.emit(new Event.SoftirqWork(x.cpu().id(), "sp", x.sp())))
        .retVoid().build());
  }

  /** A timer's identity in registers: its sleeper's address, or a per-CPU tick cookie. */
  static long timerId(Kernel k, Timers.Timer t) {
    return t.sleeper() != 0 ? t.sleeper() : 0x7100 + t.cpu();
  }

  static Timers.Timer timerOf(Kernel k, long id) {
    for (Timers.Timer t : k.timers.pendingTimers()) {
      if (timerId(k, t) == id) {
        return t;
      }
    }
    throw new IllegalStateException("no pending hrtimer " + Long.toHexString(id));
  }

  static long preemptCount(Kernel k, Exec x) {
    return k.mem.read(k.arch.preemptCountAddress(k, x.cpu().id()), 4);
  }

  static void preempt(Kernel k, Exec x, long delta) {
    long a = k.arch.preemptCountAddress(k, x.cpu().id());
    k.mem.write(a, 4, k.mem.read(a, 4) + delta);
  }
}
