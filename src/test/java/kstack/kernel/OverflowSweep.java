package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;

/**
 * The overflow sweep: a recursion of a given depth on a spawned task, then the commands a person
 * would try next. Every command must end in a result or one message that says what the kernel did
 * or why the command cannot run; never the simulator's own internal checks. {@link #main} runs a
 * wider sweep than the test suite does.
 */
final class OverflowSweep {
  private OverflowSweep() {}

  /** What a person tries after the recursion. */
  static final List<String> LATER = List.of("bt", "bt -v", "ps", "stack", "spawn x",
      "syscall getpid()", "tick", "irq 3", "continue", "bt", "ps");

  /** Texts no command may produce: internal checks, bogus reports, lost state. */
  private static final List<String> FORBIDDEN = List.of("internal error", "kernel stack not empty",
      "no symbol", "Breakpoint at", "jumped to 0x", "did not finish within", "Exception",
      "holds no code", "no current task", "would oops here", "stopped at a breakpoint");

  /** Every profile with every combination of its changeable config options. */
  static List<Profile> variants() {
    List<Profile> out = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      List<Profile> acc = new ArrayList<>(List.of(p));
      for (Map.Entry<String, Boolean> o : p.config().all().entrySet()) {
        List<Profile> next = new ArrayList<>(acc);
        for (Profile q : acc) {
          try {
            next.add(q.withConfig(o.getKey(), !o.getValue()));
          } catch (IllegalArgumentException fixed) {
            // an option the architecture selects: one value only
          }
        }
        acc = next;
      }
      out.addAll(acc);
    }
    return out;
  }

  static String name(Profile p) {
    StringBuilder b = new StringBuilder(p.arch() + ":" + p.kernel());
    p.config().all().forEach((k, v) -> b.append(' ').append(k).append('=').append(v ? 'y' : 'n'));
    return b.toString();
  }

  /**
   * Runs boot, spawn sh, recurse depth and the later commands; returns the problems found (one
   * line each, empty when every command behaved).
   */
  static List<String> sweep(Profile p, int depth, List<String> later) {
    return sweep(p, 1, depth, later);
  }

  /** The same on ncpu CPUs (a profile that runs one CPU only is swept on one). */
  static List<String> sweep(Profile p, int ncpu, int depth, List<String> later) {
    List<String> problems = new ArrayList<>();
    Machine m;
    try {
      m = Machine.create(p, ncpu);
    } catch (IllegalArgumentException oneCpuOnly) {
      m = Machine.create(p, 1);
    }
    Session s = new Session(m);
    List<String> cmds = new ArrayList<>(List.of("boot", "spawn sh", "recurse " + depth));
    cmds.addAll(later);
    int i = 0;
    for (String c : cmds) {
      i++;
      String out;
      boolean error = false;
      try {
        Result r = s.execute(Source.commandLine(i, c));
        out = String.join("\n", r.text());
      } catch (ScriptError e) {
        out = e.getMessage();
        error = true;
        if (i <= 2) {
          problems.add(name(p) + " recurse " + depth + ": '" + c + "' failed: " + out);
          return problems;
        }
      } catch (RuntimeException e) {
        out = "escaped " + e;
      }
      if (error && out.contains("cannot access memory") && !out.contains("after the panic")) {
        problems.add(name(p) + " recurse " + depth + ": '" + c + "': " + out);
        continue;
      }
      for (String f : FORBIDDEN) {
        if (out.contains(f)) {
          problems.add(name(p) + " recurse " + depth + ": '" + c + "': " + firstLineWith(out, f));
          break;
        }
      }
    }
    return problems;
  }

  private static String firstLineWith(String out, String f) {
    for (String l : out.split("\n")) {
      if (l.contains(f)) {
        return l;
      }
    }
    return out;
  }

  /**
   * The depths around a stack's end: just short of it, just past it, twice it, and far past it
   * (THREAD_SIZE / 256 frames fill the stack).
   */
  static List<Integer> boundaryDepths(Profile p) {
    int frames = (int) (Machine.create(p, 1).kernel().threadSize / 256);
    return List.of(frames - 2, frames + 1, 2 * frames - 1, 1000);
  }

  /**
   * The wide sweep (not in the suite): every variant, depths 1..1200 in steps, and 25..70.
   * Arguments: the step (default 7) and the number of CPUs (default 1).
   */
  public static void main(String[] args) {
    int step = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int ncpu = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int total = 0;
    for (Profile p : variants()) {
      java.util.TreeSet<Integer> depths = new java.util.TreeSet<>();
      for (int d = 1; d <= 1200; d += step) {
        depths.add(d);
      }
      for (int d = 25; d <= 70; d++) {
        depths.add(d);
      }
      for (int d : depths) {
        List<String> pr = sweep(p, ncpu, d, LATER);
        total += pr.size();
        pr.forEach(System.out::println);
      }
      System.out.println("# done " + name(p));
      System.out.flush();
    }
    System.out.println("# problems: " + total);
  }
}
