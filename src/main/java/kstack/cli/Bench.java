package kstack.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import kstack.trace.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * kstack bench: syscall round trips, context switches and forks per second with the trace on, and
 * what an idle task costs in simulated memory and Java heap. Figures vary with the machine; they are
 * reported, never asserted.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure syscalls, context switches and forks per second, and memory per task.")
final class Bench implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--arch", description = "x86_64, i386 or arm64 (default: all)")
  String arch;

  @Option(names = "--kernel", description = "2.4, 2.6.11, 2.6, 4.16 or 6.x, where the arch has it (default: all)")
  String kernel;

  @Option(names = "-n", defaultValue = "20000", description = "operations per measurement")
  int n;

  @Option(names = "--tasks", defaultValue = "20000",
      description = "idle tasks for the memory figure (the growth over the second half counts)")
  int tasks;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (n < 1 || n > 10_000_000 || tasks < 2 || tasks > 2_000_000) {
      spec.commandLine().getErr().println("kstack: -n must be 1..10000000, --tasks 2..2000000");
      return 2;
    }
    List<Profile> ps = arch == null ? Profiles.all() : Profiles.of(arch);
    if (kernel != null) {
      ps = ps.stream().filter(p -> Profiles.find(p.arch(), kernel)
          .map(q -> q.label().equals(p.label())).orElse(false)).toList();
    }
    if (ps.isEmpty()) {
      spec.commandLine().getErr().println(kstack.lang.ScriptError.oneLine(("kstack: no profile "
          + (arch == null ? "" : arch + " ") + (kernel == null ? "" : kernel)).strip())
          + " (known: " + Profiles.names() + ")");
      return 2;
    }
    // memory first, on a heap that earlier measurements have not filled with garbage
    List<String> memory = new java.util.ArrayList<>();
    for (Profile p : ps) {
      java.io.StringWriter w = new java.io.StringWriter();
      memory(p, new PrintWriter(w));
      memory.add(w.toString());
    }
    for (int i = 0; i < ps.size(); i++) {
      Profile p = ps.get(i);
      out.println("== " + p.label() + " (trace on, " + n + " operations each)");
      out.printf("syscall round trips (getpid):  %,12.0f /s%n", syscalls(p));
      out.printf("context switches (sched_yield): %,11.0f /s%n", switches(p));
      double[] forks = forks(p);
      out.printf("forks (fork, child left runnable): %,8.0f /s (over %d forks)%n", forks[0],
          (long) forks[1]);
      out.print(memory.get(i));
      out.flush();
    }
    return 0;
  }

  private Machine booted(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("bench");
    return m;
  }

  private double syscalls(Profile p) {
    Machine m = booted(p);
    for (int i = 0; i < Math.min(n, 2000); i++) {
      m.syscall("getpid", List.of());
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      m.syscall("getpid", List.of());
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private double switches(Profile p) {
    Machine m = booted(p);
    m.spawn("bench2");
    int before = count(m);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      m.syscall("sched_yield", List.of());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return (count(m) - before) / secs;
  }

  private static int count(Machine m) {
    int c = 0;
    for (Event e : m.timeline().events()) {
      if (e instanceof Event.ContextSwitch) {
        c++;
      }
    }
    return c;
  }

  /**
   * How many forks a measurement makes. 2.4's do_fork gives the child half the parent's counter and
   * reschedules the parent when its own half reaches 0 (fork.c@2.4.22:772-775), so every runnable
   * child takes a turn before the parent forks again: the cost of a fork grows with the children
   * already made, and 200 keeps that run short. The generations with that scheduler are the ones
   * whose task_struct has the counter it halves (the O(1) and CFS schedulers have none).
   */
  private static int forkCap(Machine m) {
    return m.struct("task_struct").has("counter") ? 200 : 5000;
  }

  /** Forks per second, and over how many forks. */
  private double[] forks(Profile p) {
    Machine m = booted(p);
    int k = Math.min(n, forkCap(m));
    long t0 = System.nanoTime();
    for (int i = 0; i < k; i++) {
      m.syscall("fork", List.of());
    }
    return new double[] {k / ((System.nanoTime() - t0) / 1e9), k};
  }

  /** Forks idle kernel threads' worth of tasks and divides the growth by their number. */
  /**
   * Forks idle tasks in two halves and divides the growth over the second half by its size, so
   * that neither the machine's own baseline nor garbage left by earlier measurements counts.
   */
  private void memory(Profile p, PrintWriter out) {
    Machine m = booted(p);
    m.timeline().setRecording(false);
    int tasks = Math.min(this.tasks, 2 * forkCap(m));
    int first = tasks / 2;
    for (int i = 0; i < first; i++) {
      m.syscall("fork", List.of());
      m.timeline().dropEvents();
    }
    int chunks0 = m.kernelMemory().chunkCount();
    long heap0 = heap();
    int measured = tasks - first;
    for (int i = 0; i < measured; i++) {
      m.syscall("fork", List.of());
      m.timeline().dropEvents();
    }
    int chunks = m.kernelMemory().chunkCount() - chunks0;
    long heap = heap() - heap0;
    // m is not used below: without the fence a compiled memory() lets the collector take the
    // machine during heap() and the figure comes out negative
    java.lang.ref.Reference.reachabilityFence(m);
    out.printf("one idle task: %d bytes of simulated memory touched (%.1f chunks of 256 B), "
        + "%d bytes of Java heap (measured over the last %d of %d forked tasks, trace off)%n",
        (long) chunks * 256 / measured, (double) chunks / measured, heap / measured, measured,
        tasks);
    out.printf("=> 1,000,000 idle tasks: about %.1f GiB of heap%n",
        heap * 1e6 / measured / (1L << 30));
  }

  /** Used heap once full collections stop freeing anything (up to 20 rounds). */
  private static long heap() {
    Runtime r = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      try {
        Thread.sleep(20); // lets reference processing finish between collections
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long now = r.totalMemory() - r.freeMemory();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
