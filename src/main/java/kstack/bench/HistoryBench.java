package kstack.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;

/**
 * Time travel at scale, measured: records a run of at least STEPS steps (getpid calls on x86_64
 * 6.19), then seeks to random steps, back and forward, and prints the latency (min, median, p95,
 * max) after a warm-up; a few of those steps are checked against a fresh run of the same calls
 * stopped there (registers, every byte of kernel memory, events). Then, unless SESSION is 0, a
 * session of SESSION getpid calls under the default history budget, with the heap it keeps.
 *
 * <pre>java -cp target/kstack.jar kstack.bench.HistoryBench [STEPS] [SESSION]</pre>
 */
public final class HistoryBench {
  private HistoryBench() {}

  public static void main(String[] args) {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int session = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Profile p = Profiles.x86_64_6_19();
    seeks(p, steps);
    if (session > 0) {
      session(p, session);
    }
  }

  private static Machine booted(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("bench");
    return m;
  }

  private static void seeks(Profile p, long steps) {
    Machine m = booted(p);
    long t0 = System.nanoTime();
    int calls = 0;
    while (m.timeline().steps() < steps) {
      m.syscall("getpid", List.of());
      calls++;
    }
    long ns = System.nanoTime() - t0;
    long end = m.timeline().steps();
    System.out.printf("recorded %d steps (%d getpid calls) in %.1f s, %.0f ns a step%n", end, calls,
        ns / 1e9, (double) ns / end);
    System.out.printf("history: %d bytes of journal (%.1f a step), %d held with checkpoints;"
        + " heap in use %d MiB%n", m.timeline().historyBytes(),
        (double) m.timeline().historyBytes() / end, m.timeline().budget().heldBytes(),
        Heap.used() >> 20);
    Random r = new Random(42);
    for (int i = 0; i < 40; i++) { // warm-up
      m.seek(r.nextLong(end + 1));
    }
    double[] ms = new double[300];
    for (int i = 0; i < ms.length; i++) {
      long to = r.nextLong(end + 1);
      long a = System.nanoTime();
      m.seek(to);
      ms[i] = (System.nanoTime() - a) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("seek to a random step of %d (%d seeks, back and forward): min %.2f ms,"
        + " median %.2f ms, p95 %.2f ms, max %.2f ms%n", end, ms.length, ms[0],
        ms[ms.length / 2], ms[(int) (ms.length * 0.95)], ms[ms.length - 1]);
    check(p, m, new long[] {end / 7 + 13, end / 2 + 1, end - 4096 * 3 - 5});
  }

  /**
   * A fresh machine makes the same calls and stops near each target, inside a call (at its
   * do_syscall_64, then a few steps on); the recorded machine, seeked to the same step, must hold
   * the same state.
   */
  private static void check(Profile p, Machine recorded, long[] targets) {
    Machine fresh = booted(p);
    for (long near : targets) {
      while (fresh.timeline().steps() + 200 < near) {
        fresh.syscall("getpid", List.of());
      }
      fresh.addBreakpoint("do_syscall_64");
      fresh.syscall("getpid", List.of());
      fresh.deleteBreakpoints();
      fresh.stepi(7);
      long s = fresh.timeline().steps();
      if (s > recorded.timeline().endSteps()) { // a run too short for this target
        System.out.printf("step %d: past the %d recorded, not checked%n", s,
            recorded.timeline().endSteps());
        break;
      }
      recorded.seek(s);
      boolean same = Arrays.equals(fresh.cpu(0).snapshot(), recorded.cpu(0).snapshot())
          && fresh.kernelMemory().contentHash() == recorded.kernelMemory().contentHash()
          && fresh.timeline().events().size() == recorded.timeline().events().size();
      System.out.printf("step %d: seeked state %s the fresh run's%n", s,
          same ? "equals" : "DIFFERS FROM");
      if (!same) {
        throw new IllegalStateException("seek to step " + s + " is not byte-exact");
      }
      fresh.continueRun();
    }
  }

  private static void session(Profile p, int calls) {
    Machine m = booted(p);
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      m.syscall("getpid", List.of());
    }
    var t = m.timeline();
    var b = t.budget();
    System.out.printf("session of %d getpid calls: %d steps in %.1f s; heap in use %d MiB of"
        + " %d MiB max; history %d bytes held of a %d budget, steps before %d thinned to %d"
        + " checkpoints (about every %d steps)%n", calls, t.steps(),
        (System.nanoTime() - t0) / 1e9, Heap.used() >> 20, Runtime.getRuntime().maxMemory() >> 20,
        b.heldBytes(), b.limit(), b.wholeFromStep(), b.thinnedBlocks(), b.granularity());
  }
}
