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
      Map.entry("clone", "clone(flags[, newsp])"), Map.entry("fork", "fork()"),
      Map.entry("execve", "execve(\"name\")"), Map.entry("exit", "exit(code)"),
      Map.entry("wait4", "wait4(pid[, options])"), Map.entry("sched_yield", "sched_yield()"));

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
        long ns = num(name, args.get(0));
        if (ns < 0) {
          throw new IllegalArgumentException("nanosleep: the duration must not be negative");
        }
        int w = m.arch().abi().wordSize(); // struct timespec: two longs
        sp.write(DATA, w, ns / 1_000_000_000L);
        sp.write(DATA + w, w, ns % 1_000_000_000L);
        return new long[] {DATA, 0};
      }
      case "clone" -> {
        need(name, form, args, 1, 2);
        long newsp = args.size() == 2 ? num(name, args.get(1)) : 0;
        return new long[] {num(name, args.get(0)), newsp, 0, 0, 0};
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
