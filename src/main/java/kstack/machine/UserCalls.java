package kstack.machine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How {@code syscall NAME(ARGS)} becomes the wrapper's arguments. Values are integers; where the real
 * call takes a pointer to simple data, the value is written to the process's data page
 * (0x600000, kstack-box .data) and the pointer passed, as a C program would:
 * {@code write(fd, "text")} (count = length), {@code read(fd, count)} (into the buffer),
 * {@code nanosleep(ns)} (a struct timespec), {@code pipe()} (int fds[2]), {@code execve("name")}.
 */
final class UserCalls {
  private UserCalls() {}

  static final long DATA = 0x600000L;
  static final long BUF = DATA + 0x100;

  /** name → the forms accepted, for messages. */
  static final Map<String, String> FORMS = Map.ofEntries(
      Map.entry("getpid", "getpid()"), Map.entry("read", "read(fd, count)"),
      Map.entry("write", "write(fd, \"text\")"), Map.entry("pipe", "pipe()"),
      Map.entry("pipe2", "pipe2(flags)"), Map.entry("nanosleep", "nanosleep(ns)"),
      Map.entry("clone", "clone(flags[, newsp[, tls]])"), Map.entry("fork", "fork()"),
      Map.entry("execve", "execve(\"name\")"), Map.entry("exit", "exit(code)"),
      Map.entry("wait4", "wait4(pid[, options])"), Map.entry("sched_yield", "sched_yield()"),
      Map.entry("exit_group", "exit_group(code)"),
      Map.entry("clock_nanosleep", "clock_nanosleep(clock, ns)"),
      Map.entry("clone3", "clone3(flags[, exit_signal[, stack, stack_size]])"));

  /** The Linux release that added each call a profile may lack. */
  private static final Map<String, String> SINCE = Map.of("exit_group", "2.5.35",
      "clock_nanosleep", "2.5.63, with the POSIX clocks", "clone3", "5.3");

  /** Where clone3 puts its struct clone_args: in the data page, below the buffer. */
  static final long CLONE_ARGS = DATA + 0x40;

  /** Why the profile has no system call name. */
  static String missing(Machine m, String name) {
    String since = SINCE.get(name);
    return m.arch().name() + (since == null ? "" : " " + m.profile().version()) + " has no system "
        + "call " + name + (since == null ? "" : " (it came in Linux " + since + ")");
  }

  static boolean isWrapper(String name) {
    return FORMS.containsKey(name) || name.equals("finit_module") || name.equals("init_module");
  }

  static void checkName(String name) {
    if (!FORMS.containsKey(name)) {
      throw new IllegalArgumentException("unknown system call " + name + " (known: "
          + String.join(", ", new java.util.TreeSet<>(FORMS.keySet())) + ")");
    }
  }

  static long[] syscallArgs(Machine m, String name, List<Machine.Arg> args) {
    checkName(name);
    String form = FORMS.get(name);
    var sp = m.space();
    switch (name) {
      case "getpid", "fork", "pipe", "sched_yield" -> {
        need(name, form, args, 0, 0);
        if (name.equals("pipe")) {
          return new long[] {DATA};
        }
        return new long[0];
      }
      case "pipe2" -> {
        need(name, form, args, 1, 1);
        return new long[] {DATA, num(name, args.get(0))};
      }
      case "read" -> {
        need(name, form, args, 2, 2);
        long n = num(name, args.get(1));
        if (n < 0 || n > 3000) {
          throw new IllegalArgumentException("read: count must be 0..3000 (the buffer's size)");
        }
        return new long[] {num(name, args.get(0)), BUF, n};
      }
      case "write" -> {
        need(name, form, args, 2, 3);
        Machine.Arg a = args.get(1);
        byte[] b = a.text() != null ? a.text().getBytes(StandardCharsets.ISO_8859_1)
            : Long.toString(a.number()).getBytes(StandardCharsets.US_ASCII);
        if (b.length > 3000) {
          throw new IllegalArgumentException("write: at most 3000 bytes");
        }
        long fd = num(name, args.get(0)); // every check before the store: a refusal writes nothing
        long count = args.size() == 3 ? num(name, args.get(2)) : b.length;
        sp.writeBytes(BUF, b);
        return new long[] {fd, BUF, count};
      }
      case "nanosleep" -> {
        need(name, form, args, 1, 1);
        return new long[] {timespec(m, name, args.get(0)), 0};
      }
      case "clone" -> {
        need(name, form, args, 1, 3);
        long newsp = args.size() >= 2 ? num(name, args.get(1)) : 0;
        long flags = num(name, args.get(0));
        threadsModelled(m, name, flags);
        long[] v = {flags, newsp, 0, 0, 0};
        // the arch's order: tls is 5th on x86_64, 4th with CLONE_BACKWARDS (i386, arm64)
        v[java.util.Arrays.asList(m.arch().cloneParams()).indexOf("tls")] =
            args.size() == 3 ? num(name, args.get(2)) : 0;
        return v;
      }
      case "clone3" -> {
        need(name, form, args, 1, 4);
        if (args.size() == 3) {
          throw new IllegalArgumentException("clone3 takes the stack and its size together: " + form);
        }
        long[] v = new long[Clone3Args.N];
        v[Clone3Args.FLAGS] = num(name, args.get(0));
        v[Clone3Args.EXIT_SIGNAL] = args.size() > 1 ? num(name, args.get(1)) : 0;
        if (args.size() == 4) {
          v[Clone3Args.STACK] = num(name, args.get(2));
          v[Clone3Args.STACK_SIZE] = num(name, args.get(3));
        }
        threadsModelled(m, name, v[Clone3Args.FLAGS]);
        for (int i = 0; i < v.length; i++) { // struct clone_args: eleven __aligned_u64
          sp.write(CLONE_ARGS + 8L * i, 8, v[i]);
        }
        return new long[] {CLONE_ARGS, 8L * Clone3Args.N};
      }
      case "clock_nanosleep" -> {
        need(name, form, args, 2, 2);
        long clock = num(name, args.get(0));
        if (clock != 0 && clock != 1) {
          throw new IllegalArgumentException("clock_nanosleep: the clock is CLOCK_REALTIME (0) or "
              + "CLOCK_MONOTONIC (1), the two the model sleeps on");
        }
        return new long[] {clock, 0, timespec(m, name, args.get(1)), 0};
      }
      case "exit_group" -> {
        need(name, form, args, 1, 1);
        int others = kstack.kernel.Threads.otherThreads(m.kernel(), m.current());
        if (others > 0) {
          throw new IllegalArgumentException("exit_group: the thread group of pid "
              + m.kernel().tasks.pid(m.current()) + " has " + others + " other thread(s); do_group_exit "
              + "would kill them with SIGKILL (zap_other_threads), and signals are not modelled: "
              + "make each of them exit(code) first");
        }
        return new long[] {num(name, args.get(0))};
      }
      case "execve" -> {
        need(name, form, args, 1, 1);
        String s = args.get(0).text();
        if (s == null || !s.matches("[A-Za-z0-9_./-]{1,64}")) {
          throw new IllegalArgumentException("execve: give the program name as a string");
        }
        sp.writeBytes(BUF, (s + "\0").getBytes(StandardCharsets.US_ASCII));
        int w = m.arch().abi().wordSize(); // argv: { path, NULL }
        sp.write(DATA + 16, w, BUF);
        sp.write(DATA + 16 + w, w, 0);
        return new long[] {BUF, DATA + 16, 0};
      }
      case "exit" -> {
        need(name, form, args, 1, 1);
        return new long[] {num(name, args.get(0))};
      }
      case "wait4" -> {
        need(name, form, args, 1, 2);
        long opt = args.size() == 2 ? num(name, args.get(1)) : 0;
        return new long[] {num(name, args.get(0)), DATA + 32, opt, 0};
      }
      default -> throw new IllegalArgumentException("unknown system call " + name);
    }
  }

  /** A duration in ns as a struct timespec (two longs) at DATA; returns its address. */
  private static long timespec(Machine m, String name, Machine.Arg a) {
    long ns = num(name, a);
    if (ns < 0) {
      throw new IllegalArgumentException(name + ": the duration must not be negative");
    }
    int w = m.arch().abi().wordSize();
    m.space().write(DATA, w, ns / 1_000_000_000L);
    m.space().write(DATA + w, w, ns % 1_000_000_000L);
    return DATA;
  }

  /** CLONE_THREAD where the model has no thread groups, CLONE_SETTLS where it sets no TLS. */
  private static void threadsModelled(Machine m, String name, long flags) {
    String noTls = m.arch().copyThreadTlsMissing();
    if ((flags & 0x80000) != 0 && noTls != null) {
      throw new IllegalArgumentException(name + ": CLONE_SETTLS (0x80000) on " + m.arch().name()
          + " " + m.profile().version() + ": " + noTls);
    }
    String why = kstack.kernel.Threads.unsupported(m.kernel());
    if ((flags & 0x10000) != 0 && why != null) {
      throw new IllegalArgumentException(name + ": CLONE_THREAD (0x10000) on " + m.arch().name()
          + " " + m.profile().version() + ": " + why);
    }
  }

  /** struct clone_args members (include/uapi/linux/sched.h@6.19:92-104). */
  private static final class Clone3Args {
    static final int FLAGS = 0;
    static final int EXIT_SIGNAL = 4;
    static final int STACK = 5;
    static final int STACK_SIZE = 6;
    static final int N = 11;
  }

  private static void need(String name, String form, List<Machine.Arg> args, int min, int max) {
    if (args.size() < min || args.size() > max) {
      throw new IllegalArgumentException(name + " takes " + (min == max ? "" + min : min + " to " + max)
          + " argument(s): " + form);
    }
  }

  private static long num(String name, Machine.Arg a) {
    if (a.number() == null) {
      throw new IllegalArgumentException(name + ": expected a number, not a string");
    }
    return a.number();
  }
}
