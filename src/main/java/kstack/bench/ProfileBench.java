package kstack.bench;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.trace.Event;

/**
 * Measures one profile. Every timed loop runs on a machine warmed up by the same loop first; each
 * figure is taken {@link Plan#repeats} times, each sched_yield and fork loop on a freshly booted
 * machine (booting is not timed), so that every repeat starts from the same machine.
 */
public final class ProfileBench {
  private final Profile profile;
  private final Plan plan;

  public ProfileBench(Profile profile, Plan plan) {
    this.profile = profile;
    this.plan = plan;
  }

  /** Runs the warm-up loops (not counted) on throw-away machines of this profile. */
  public void warmUp() {
    if (plan.warmup() == 0) {
      return;
    }
    Machine a = booted();
    repeat(plan.warmup(), () -> getpid(a));
    Machine off = untraced();
    repeat(plan.warmup(), () -> getpidUntraced(off));
    Machine b = booted();
    b.spawn("bench2");
    repeat(Math.max(1, plan.warmup() / 4), () -> b.syscall("sched_yield", List.of()));
    Machine c = booted();
    repeat(Math.min(forkCap(c), Math.max(1, plan.warmup() / 8)), () -> fork(c));
    Machine d = untraced();
    repeat(Math.min(forkCap(d), plan.untracedWarmupForks()), () -> fork(d));
  }

  public Figures measure() {
    double[] getpid = new double[plan.repeats()];
    double[] reverse = new double[plan.repeats()];
    Machine m = booted();
    long heap0 = Heap.used();
    long s0 = m.timeline().steps();
    long heapFrom = s0;
    for (int r = 0; r < plan.repeats(); r++) {
      getpid[r] = timePerOp(plan.getpids(), () -> getpid(m));
      if (r == 0 && plan.repeats() > 1) {
        // history is counted from the end of the first loop: until then the heap still held what
        // the warm-up left reachable (code compiled then keeps objects it saw; measured: up to
        // 8 MB, freed as that code is replaced, which made the figure negative)
        heap0 = Heap.used();
        heapFrom = m.timeline().steps();
      }
    }
    long steps = m.timeline().steps() - s0;
    double[] getpidOff = traceOff();
    double history = (double) (Heap.used() - heap0) / (m.timeline().steps() - heapFrom);
    // each repeat takes one loop's worth of steps back, less one so the first never reopens the
    // command before the loops
    int back = (int) (steps / plan.repeats()) - 1;
    for (int r = 0; r < plan.repeats(); r++) {
      reverse[r] = (double) time(() -> m.reverseStepi(back)) / back;
    }
    java.lang.ref.Reference.reachabilityFence(m);
    SortedMap<Integer, Stats> at = new TreeMap<>();
    long heapPerTask = forkAtTasks(at);
    return new Figures(profile.arch(), profile.kernel(), profile.version(), Stats.of(getpid),
        Stats.of(getpidOff),
        Stats.of(yieldPairs()), Stats.of(forks()), at, heapPerTask, history,
        Stats.of(reverse), (double) steps / plan.getpids() / plan.repeats());
  }

  /** Nanoseconds per getpid round trip with the history not recorded (events dropped as made). */
  private double[] traceOff() {
    double[] out = new double[plan.repeats()];
    Machine q = untraced();
    for (int r = 0; r < plan.repeats(); r++) {
      out[r] = timePerOp(plan.getpids(), () -> getpidUntraced(q));
    }
    return out;
  }

  private Machine untraced() {
    Machine q = booted();
    q.timeline().setRecording(false);
    return q;
  }

  private static void getpidUntraced(Machine m) {
    getpid(m);
    m.timeline().dropEvents();
  }

  /** Nanoseconds per sched_yield pair: two context switches, A to B and back. */
  private double[] yieldPairs() {
    double[] out = new double[plan.repeats()];
    for (int r = 0; r < plan.repeats(); r++) {
      Machine m = booted();
      m.spawn("bench2");
      int e0 = m.timeline().events().size();
      long ns = time(() -> repeat(plan.yields(), () -> m.syscall("sched_yield", List.of())));
      long switches = m.timeline().events().subList(e0, m.timeline().events().size()).stream()
          .filter(e -> e instanceof Event.ContextSwitch).count();
      out[r] = ns / Math.max(1.0, switches / 2.0);
    }
    return out;
  }

  /** Nanoseconds per fork on a machine of a few tasks; the children are reversed between repeats. */
  private double[] forks() {
    double[] out = new double[plan.repeats()];
    for (int r = 0; r < plan.repeats(); r++) {
      Machine m = booted();
      out[r] = timePerOp(Math.min(plan.forks(), forkCap(m)), () -> fork(m));
    }
    return out;
  }

  /**
   * Forks idle tasks with the trace off up to each task count and times a few forks there; returns
   * the Java heap per task, measured between the first count's half and the last count. Counts the
   * machine cannot reach (2.4's scheduler, 32-bit PID_MAX_LIMIT) are left out.
   */
  private long forkAtTasks(SortedMap<Integer, Stats> at) {
    Machine m = booted();
    m.timeline().setRecording(false);
    int cap = Math.min(2 * forkCap(m), raisePidMax(m));
    int live = 0;
    int base = Math.min(plan.taskCounts().get(0), cap) / 2;
    while (live < base) {
      fork(m);
      live++;
    }
    long heap0 = Heap.used();
    int measuredFrom = live;
    for (int count : plan.taskCounts()) {
      if (count + plan.repeats() * plan.forksAt(count) > cap) {
        break;
      }
      while (live < count) {
        fork(m);
        live++;
      }
      double[] ns = new double[plan.repeats()];
      int k = plan.forksAt(count);
      for (int r = 0; r < plan.repeats(); r++) {
        ns[r] = timePerOp(k, () -> fork(m));
        live += k;
      }
      at.put(count, Stats.of(ns));
    }
    while (live < Math.min(cap, base * 2)) {
      fork(m);
      live++;
    }
    long heap = Heap.used() - heap0;
    // m is not used below: without the fence a compiled method lets the collector take the
    // machine during Heap.used() and the figure comes out negative
    java.lang.ref.Reference.reachabilityFence(m);
    return heap / Math.max(1, live - measuredFrom);
  }

  /**
   * Raises kernel.pid_max to PID_MAX_LIMIT, as a Linux machine meant for that many tasks would be
   * set up (sysctl kernel.pid_max), and returns how many live tasks the pids then allow, with room
   * for the timed forks. An older engine measured by bench/compare.sh has no pid_max to raise.
   */
  private int raisePidMax(Machine m) {
    try {
      var pids = m.kernel().pids;
      pids.setPidMax(pids.pidMaxLimit());
      return pids.pidMaxLimit() - kstack.kernel.PidTable.RESERVED_PIDS;
    } catch (NoSuchMethodError | NoSuchFieldError olderEngine) {
      return Plan.MAX_TASKS;
    }
  }

  private Machine booted() {
    Machine m = Machine.create(profile, 1);
    m.boot();
    m.spawn("bench");
    return m;
  }

  private static void getpid(Machine m) {
    m.syscall("getpid", List.of());
  }

  /** A fork; with the trace off its events are dropped, so that memory counts tasks, not trace. */
  private static void fork(Machine m) {
    m.syscall("fork", List.of());
    if (!m.timeline().isRecording()) {
      m.timeline().dropEvents();
    }
  }

  /**
   * How many forks a measurement makes. 2.4's do_fork gives the child half the parent's counter and
   * reschedules the parent when its own half reaches 0 (fork.c@2.4.22:772-775), so every runnable
   * child takes a turn before the parent forks again: the cost of a fork grows with the children
   * already made, as 2.4's O(n) schedule() does on a real machine, and 200 keeps that run short. The
   * generations with that scheduler are the ones whose task_struct has the counter it halves.
   */
  static int forkCap(Machine m) {
    return m.struct("task_struct").has("counter") ? 200 : Plan.MAX_TASKS;
  }

  private static double timePerOp(int n, Runnable op) {
    return (double) time(() -> repeat(n, op)) / n;
  }

  private static long time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return System.nanoTime() - t0;
  }

  private static void repeat(int n, Runnable op) {
    for (int i = 0; i < n; i++) {
      op.run();
    }
  }

  /** Runs every profile's warm-up, then measures each, handing each profile's figures on. */
  public static void run(List<Profile> profiles, Plan plan, Consumer<Figures> out) {
    for (Profile p : profiles) {
      new ProfileBench(p, plan).warmUp();
    }
    for (Profile p : profiles) {
      out.accept(new ProfileBench(p, plan).measure());
    }
  }
}
