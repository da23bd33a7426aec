package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reverse execution is exact: a seeded random command sequence runs forward while the machine's
 * whole state is fingerprinted after random steps; then it is reversed to those steps, newest first,
 * and each must be identical to the first time (memory, registers, kernel bookkeeping, pending
 * interrupts and goal). From a point inside a command, {@code continue} must then end exactly as that
 * command did the first time: the same last line, the same state.
 */
class ReverseSweepTest {
  private static final String[] POOL = {
      "syscall getpid()", "syscall sched_yield()", "syscall fork()", "syscall pipe()",
      "syscall write(1, \"hi\")", "syscall nanosleep(1000000)", "syscall wait4(-1)",
      "syscall exit(0)", "call inner(1)", "call sum8(1,2,3,4,5,6,7,8)", "kthread k", "irq 3",
      "tick", "nmi", "exception db", "recurse 3", "break schedule", "break WRITE",
      "break do_syscall_64", "break system_call", "break invoke_syscall", "delete", "continue",
      "continue", "stepi 7", "stepi 1", "finish", "rsi 5", "rsi 40", "cpu 0", "cpu 1",
      "spawn sh2", "spawn sh3", "syscall exit_group(0)", "syscall clone(0x50f00, 0x7fffffff0000)",
      "syscall clone(0x50f00, 0xbfff0000)", "syscall clock_nanosleep(0, 1000000)",
  };
  private static final List<String> GOAL_COMMANDS = List.of("boot", "spawn", "syscall", "call",
      "kthread", "irq", "tick", "nmi", "exception", "recurse", "continue", "finish");

  /** One command of the forward run: its step range, last line, and the state it left. */
  private record Done(String text, long before, long after, String last, Map<String, String> end,
      List<String> breaks) {}

  static List<Object[]> cases() {
    List<Object[]> out = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      boolean smp = !p.has(kstack.profile.Feature.TASK_UNION)
          && !p.has(kstack.profile.Feature.PT_REGS_60);
      out.add(new Object[] {p, 1L, smp ? 2 : 1, 24});
    }
    // found by a wider sweep: a replayed exec made a new store for the same page-table root, and
    // the CPU's cached address space kept writing into the undone exec's one
    out.add(new Object[] {Profiles.i386_6_19(), 4L, 1, 40});
    return out;
  }

  @ParameterizedTest(name = "{0} seed {1}, {2} CPU(s), {3} commands")
  @MethodSource("cases")
  void everyPointReachedAgainIsIdenticalAndContinuesAsTheFirstTime(Profile p, long seed, int ncpu,
      int length) {
    Machine m = Machine.create(p, ncpu);
    Session s = new Session(m);
    Random r = new Random(seed * 1_000_003L + p.label().hashCode());
    Random sampling = new Random(seed);
    TreeMap<Long, Map<String, String>> prints = new TreeMap<>();
    m.loop().afterStep = () -> {
      if (sampling.nextInt(120) == 0) {
        prints.put(m.timeline().steps(), Fingerprint.of(m));
      }
    };
    List<Done> done = new ArrayList<>();
    List<String> breaks = new ArrayList<>();
    List<String> script = new ArrayList<>(List.of("boot", "spawn sh"));
    for (int i = 0; i < length; i++) {
      script.add(POOL[r.nextInt(POOL.length)].replace("WRITE", kstack.TestMachines.insideWrite(p)));
    }
    int line = 0;
    for (String cmd : script) {
      long before = m.timeline().steps();
      String last = run(s, ++line, cmd);
      long after = m.timeline().steps();
      if (cmd.startsWith("break ") && !last.startsWith("error")) {
        breaks.add(cmd.substring(6));
      } else if (cmd.equals("delete")) {
        breaks.clear();
      }
      if (after < before) { // a reverse step: what lay beyond is history no longer
        prints.tailMap(after, false).clear();
        done.removeIf(d -> d.after() > after);
      } else if (GOAL_COMMANDS.contains(cmd.split(" ")[0]) && !last.startsWith("error")
          && after > before + 1) {
        done.add(new Done(cmd, before, after, last, Fingerprint.of(m), List.copyOf(breaks)));
      }
    }
    m.loop().afterStep = null;
    List<Long> targets = new ArrayList<>(prints.keySet());
    assertThat(targets).as("sampled points").hasSizeGreaterThan(3);
    java.util.Collections.shuffle(targets, r);
    targets = new ArrayList<>(targets.subList(0, Math.min(10, targets.size())));
    targets.sort(java.util.Comparator.reverseOrder());
    int continued = 0;
    for (long t : targets) {
      long back = m.timeline().steps() - t;
      String where = p.label() + " seed " + seed + ": back to step " + t;
      run(s, ++line, "rsi " + back);
      assertThat(Fingerprint.of(m)).as(where).isEqualTo(prints.get(t));
      Done c = done.stream().filter(d -> d.before() < t && t < d.after()).findFirst().orElse(null);
      if (c != null) {
        m.deleteBreakpoints();
        c.breaks().forEach(m::addBreakpoint);
        String last = run(s, ++line, "continue");
        assertThat(last).as(where + ", continue inside '" + c.text() + "'").isEqualTo(c.last());
        assertThat(Fingerprint.of(m)).as(where + ", the end of '" + c.text() + "'")
            .isEqualTo(c.end());
        continued++;
      }
    }
    assertThat(continued).as("points inside a command, continued from").isPositive();
  }

  /** The command's last line, or "error: message". */
  private static String run(Session s, int line, String cmd) {
    try {
      Result res = s.execute(Source.commandLine(line, cmd));
      return res.text().isEmpty() ? "" : res.text().get(res.text().size() - 1);
    } catch (ScriptError e) {
      assertThat(e.getMessage()).as(cmd).doesNotContain("internal error");
      return "error: " + e.getMessage();
    }
  }
}
