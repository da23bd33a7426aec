package kstack.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kstack.catalog.Profiles;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's own gdb (gdb-multiarch for arm64) attached to {@code kstack gdbserver}'s protocol in
 * batch mode, on every profile: what gdb reads is what kstack itself shows, and gdb's breakpoints,
 * stepping and reverse-stepi move the machine as kstack's own commands do.
 */
class GdbSessionTest {
  static Stream<Profile> profiles() {
    return Profiles.all().stream();
  }

  /** The kernel function the system call reaches first where the profile has one to break at. */
  private static final Map<String, String> ENTRY_CALLEE = Map.of(
      "x86_64 2.6.32", "sys_getpid", "x86_64 4.16", "do_syscall_64", "x86_64 6.19", "do_syscall_64",
      "i386 2.4.22", "sys_getpid", "i386 2.6.11", "sys_getpid", "i386 2.6.32", "sys_getpid",
      "i386 4.16", "do_int80_syscall_32", "i386 6.19", "do_int80_syscall_32",
      "arm64 4.16", "sys_getpid", "arm64 6.19", "invoke_syscall");

  static String entryCallee(Profile p) {
    String key = p.arch() + " " + p.version();
    return ENTRY_CALLEE.entrySet().stream().filter(e -> key.startsWith(e.getKey()))
        .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(key));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void gdbReadsTheStackPointerAndTheStackWordsKstackShows(Profile p) throws Exception {
    try (Served s = Served.after(p, 1, "boot")) {
      long sp = s.machine().cpu(0).sp();
      String out = Gdb.run(p.arch(), s.port(), "p/x $sp", "x/4gx $sp", "monitor x/4gx $sp");
      assertThat(Gdb.printed(out)).as(out).containsExactly(sp);
      List<List<String>> words = Gdb.words(out, sp);
      assertThat(words).as(out).hasSize(2);
      assertThat(words.get(0)).hasSize(2).isEqualTo(words.get(1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void aBreakpointInTheSyscallPathIsReachedByMonitorSyscallAndContinueAndReverseStepiLeavesIt(
      Profile p) throws Exception {
    String fn = entryCallee(p);
    try (Served s = Served.after(p, 1, "boot", "spawn sh")) {
      long addr = s.machine().symbols().get(fn).address();
      String out = Gdb.run(p.arch(), s.port(), "break *" + addr, "monitor syscall getpid()",
          "continue", "p/x $pc", "reverse-stepi", "p/x $pc");
      assertThat(out).contains("is set up on cpu 0 and stopped before its first step")
          .contains("Breakpoint 1, ");
      long back = ownReverseStepi(p, fn);
      assertThat(Gdb.printed(out)).as(out).containsExactly(addr, back);
      assertThat(s.machine().cpu(0).pc()).isEqualTo(back);
    }
  }

  /** Where kstack's own reverse-stepi lands from the breakpoint at fn. */
  private static long ownReverseStepi(Profile p, String fn) {
    Session own = new Session(Machine.create(p, 1));
    String[] cmds = {"boot", "spawn sh", "break " + fn, "syscall getpid()", "reverse-stepi"};
    for (int i = 0; i < cmds.length; i++) {
      own.execute(Source.commandLine(i + 1, cmds[i]));
    }
    long pc = own.machine().cpu(0).pc();
    assertThat(own.machine().symbols().functionName(pc)).isNotEqualTo(fn);
    return pc;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void eachCpuIsAThreadWhoseRegistersAreThatCpus(Profile p) throws Exception {
    int cpus = p.version().startsWith("2.4") || p.version().startsWith("2.6.11") ? 1 : 2;
    try (Served s = Served.after(p, cpus, "boot")) {
      String out = Gdb.run(p.arch(), s.port(), "info threads", "thread " + cpus, "p/x $pc");
      assertThat(out).contains("Thread " + cpus + " (cpu " + (cpus - 1) + " at ");
      assertThat(Gdb.printed(out)).as(out).containsExactly(s.machine().cpu(cpus - 1).pc());
    }
  }

  @Test
  void aStackWordGdbWritesIsTheWordKstackReadsAndStepiMovesThePcAsKstacksStepiDoes()
      throws Exception {
    Profile p = Profiles.newest("x86_64").orElseThrow();
    try (Served s = Served.after(p, 1, "boot", "spawn sh", "break do_syscall_64",
        "syscall getpid()")) {
      long sp = s.machine().cpu(0).sp();
      String out = Gdb.run(p.arch(), s.port(), "set {long}$sp = 0x1234abcd", "monitor x/gx $sp",
          "stepi", "p/x $pc");
      assertThat(Gdb.words(out, sp)).as(out).containsExactly(List.of("0x000000001234abcd"));
      Session own = new Session(Machine.create(p, 1));
      for (String c : List.of("boot", "spawn sh", "break do_syscall_64", "syscall getpid()",
          "stepi")) {
        own.execute(Source.commandLine(1, c));
      }
      assertThat(Gdb.printed(out)).as(out).containsExactly(own.machine().cpu(0).pc());
    }
  }

  @Test
  void reverseContinueGoesBackToThePreviousHitOfABreakpoint() throws Exception {
    Profile p = Profiles.newest("x86_64").orElseThrow();
    try (Served s = Served.after(p, 1, "boot", "spawn sh")) {
      long addr = s.machine().symbols().get("do_syscall_64").address();
      String out = Gdb.run(p.arch(), s.port(), "break *" + addr, "monitor syscall getpid()",
          "continue", "delete", "monitor syscall getpid()", "continue", "break *" + addr,
          "reverse-continue", "p/x $pc", "monitor bt");
      assertThat(Gdb.printed(out)).as(out).containsExactly(addr);
      assertThat(out).contains("Backtrace of pid 3 (sh)").contains("#0  0xffffffff8"
          + Long.toHexString(addr).substring(9) + " in do_syscall_64");
    }
  }
}
