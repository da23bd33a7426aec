package kstack.bench;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import kstack.machine.Machine;
import kstack.profile.Profile;

/**
 * {@code bench --fork-to N}: one machine forks idle tasks until N tasks live (the idle task and
 * every hashed pid counted), as a machine with PID_MAX_LIMIT processes would have them; on the way
 * it times forks at 1,000, 10,000, 100,000 ... tasks, and at the end it gives the total time and
 * the Java heap per task. The trace is off (the forks' history would be the figure otherwise) and
 * kernel.pid_max is raised to PID_MAX_LIMIT first; a profile whose pids (32-bit: 32,768) or
 * scheduler (2.4) stop it sooner says where and why.
 */
public final class ScaleBench {
  private final Profile profile;
  private final Plan plan;
  private final int target;

  public ScaleBench(Profile profile, Plan plan, int target) {
    if (target < 2 || target > Plan.MAX_TASKS) {
      throw new IllegalArgumentException("--fork-to must be 2.." + Plan.MAX_TASKS + ", not " + target);
    }
    this.profile = profile;
    this.plan = plan;
    this.target = target;
  }

  /**
   * Warms the JVM up on throw-away machines as {@code bench} does, its untraced forks included (else
   * the fork at 1,000 tasks is timed while the compiler is still at work on fork's path), then
   * measures.
   */
  public ScaleFigures measure() {
    new ProfileBench(profile, plan).warmUp();
    Machine m = forker();
    int cap = capOf(m);
    long heap0 = Heap.used();
    int start = tasks(m);
    int[] live = {start};
    SortedMap<Integer, Stats> at = new TreeMap<>();
    long gc0 = GcClock.millis();
    long t0 = System.nanoTime();
    String stopped = null;
    try {
      for (int count = 1000; count < target; count *= 10) {
        forkUntil(m, live, Math.min(count, start + cap));
        int k = plan.forks();
        if (live[0] < count || live[0] + plan.repeats() * k > target) {
          break;
        }
        double[] ns = new double[plan.repeats()];
        for (int r = 0; r < plan.repeats(); r++) {
          long t = System.nanoTime();
          forkUntil(m, live, live[0] + k);
          ns[r] = (double) (System.nanoTime() - t) / k;
        }
        at.put(count, Stats.of(ns));
      }
      forkUntil(m, live, Math.min(target, start + cap));
      if (live[0] < target) {
        stopped = "2.4's do_fork lets every runnable child run before the parent forks again, so "
            + "the parent's forks slow down with each child; stopped after " + cap;
      }
    } catch (RuntimeException e) {
      stopped = e.getMessage();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double gcSeconds = (GcClock.millis() - gc0) / 1e3;
    long heap = Heap.used() - heap0;
    java.lang.ref.Reference.reachabilityFence(m);
    return new ScaleFigures(profile.arch(), profile.kernel(), profile.version(), target, live[0],
        seconds, new ScaleFigures.Gc(GcClock.names(), gcSeconds),
        heap / Math.max(1, live[0] - start), heap, at, stopped);
  }

  /** A booted machine whose process "bench" forks, trace off, pid_max at PID_MAX_LIMIT. */
  private Machine forker() {
    Machine m = Machine.create(profile, 1);
    m.boot();
    m.spawn("bench");
    m.timeline().setRecording(false);
    var pids = m.kernel().pids;
    pids.setPidMax(pids.pidMaxLimit());
    return m;
  }

  private static int capOf(Machine m) {
    return Math.min(ProfileBench.forkCap(m), Plan.MAX_TASKS);
  }

  /** The machine's tasks: every hashed pid and each CPU's idle task. */
  private static int tasks(Machine m) {
    return m.kernel().pids.tasks().size() + m.cpuCount();
  }

  private static void forkUntil(Machine m, int[] live, int count) {
    var hashed = m.kernel().pids.tasks();
    while (live[0] < count) {
      int before = hashed.size();
      m.syscall("fork", List.of());
      m.timeline().dropEvents();
      if (hashed.size() == before) { // the fork failed in the kernel (no free pid) and returned the error
        throw new IllegalStateException("fork failed at " + live[0] + " tasks (every pid below"
            + " pid_max " + m.kernel().pids.pidMax() + " in use)");
      }
      live[0]++;
    }
  }
}
