package kstack.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.bench.Figures;
import kstack.bench.Plan;
import kstack.bench.ProfileBench;
import kstack.bench.ScaleBench;
import kstack.bench.ScaleFigures;
import kstack.bench.Stats;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * kstack bench: the cost of a getpid round trip, a sched_yield pair and a fork, fork at large task
 * counts, heap per idle task, history per step and reverse per step (measuring lives in kstack.bench).
 * Figures vary with the machine; they are reported, never asserted.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure syscalls, context switches, forks (also at many tasks), memory per task, "
        + "history and reverse per step; warm-up first, min/median of repeats.")
final class Bench implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--arch", description = "x86_64, i386 or arm64 (default: all)")
  String arch;

  @Option(names = "--kernel", description = "2.4, 2.6.11, 2.6, 4.16 or 6.x, where the arch has it (default: all)")
  String kernel;

  @Option(names = "-n", defaultValue = "2000", description = "getpids per measurement (yields n/4, forks n/8)")
  int n;

  @Option(names = "--repeat", defaultValue = "5", description = "measurements of each figure")
  int repeat;

  @Option(names = "--warmup", defaultValue = "2000", description = "getpids of each profile's warm-up")
  int warmup;

  @Option(names = "--tasks", split = ",", defaultValue = "1000,10000",
      description = "live task counts at which fork is timed (comma-separated)")
  List<Integer> tasks;

  @Option(names = "--scale", defaultValue = "1", description = "multiplies the --tasks counts")
  int scale;

  @Option(names = "--json", description = "one JSON object per profile, one per line")
  boolean json;

  @Option(names = "--fork-to", paramLabel = "N", description = "instead: fork idle tasks in one "
      + "machine until N live (up to 4194304), timing forks at 1000, 10000, ... tasks; total time "
      + "and heap per task")
  Integer forkTo;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Plan plan;
    try {
      if (scale < 1 || scale > Plan.MAX_TASKS) {
        throw new IllegalArgumentException("--scale must be 1.." + Plan.MAX_TASKS + ", not " + scale);
      }
      plan = new Plan(repeat, n, tasks.stream().map(t -> (int) Math.min(Integer.MAX_VALUE,
          (long) t * scale)).toList(), warmup);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("kstack: bench: " + e.getMessage());
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
    if (forkTo != null) {
      return forkTo(ps, plan, out);
    }
    if (!json) {
      out.printf("warm-up first (not measured): %d getpids, %d sched_yields, %d forks and %d "
          + "untraced forks on each profile; then each figure %d times, min / median%n", warmup,
          warmup / 4, warmup / 8, plan.untracedWarmupForks(), repeat);
      out.flush();
    }
    ProfileBench.run(ps, plan, f -> {
      out.println(json ? f.toJson() : text(f));
      out.flush();
    });
    return 0;
  }

  private int forkTo(List<Profile> ps, Plan plan, PrintWriter out) {
    List<ScaleBench> runs;
    try {
      runs = ps.stream().map(p -> new ScaleBench(p, plan, forkTo)).toList();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("kstack: bench: " + e.getMessage());
      return 2;
    }
    for (ScaleBench b : runs) {
      ScaleFigures f = b.measure();
      out.println(json ? f.toJson() : f.toText());
      out.flush();
    }
    return 0;
  }

  private static String text(Figures f) {
    StringBuilder b = new StringBuilder();
    b.append("== ").append(f.arch()).append(' ').append(f.kernel()).append(" (").append(f.version())
        .append(")\n");
    line(b, "getpid round trip (trace on)", f.getpid(), "ns");
    line(b, "getpid round trip (trace off)", f.getpidTraceOff(), "ns");
    b.append(String.format("  %-36s %,10.0f %% (medians)%n", "recording's cost over trace off",
        100 * (f.getpid().median() / f.getpidTraceOff().median() - 1)));
    b.append(String.format("  %-36s %,10.1f%n", "steps per getpid", f.stepsPerGetpid()));
    line(b, "sched_yield pair (2 switches)", f.yieldPair(), "ns");
    line(b, "fork, child left runnable", f.fork(), "ns");
    f.forkAtTasks().forEach((count, s) ->
        line(b, String.format("fork at %,d tasks (trace off)", count), s, "ns"));
    b.append(String.format("  %-36s %,10.1f bytes of Java heap%n", "history per step",
        f.historyBytesPerStep()));
    line(b, "reverse-stepi per step", f.reversePerStep(), "ns");
    b.append(String.format("  %-36s %,10d bytes of Java heap%n", "one more idle task",
        f.heapBytesPerTask()));
    return b.toString().stripTrailing();
  }

  private static void line(StringBuilder b, String what, Stats s, String unit) {
    b.append(String.format("  %-36s min %,10.1f  median %,10.1f %s%n", what, s.min(), s.median(), unit));
  }
}
