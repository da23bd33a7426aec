package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands in a seeded random order, valid and malformed, on every profile: each one either works
 * or fails with one located message (a ScriptError). No other exception and no "internal error"
 * may escape, whatever state earlier commands (an overflow, a panic, a breakpoint) left behind.
 */
class RandomCommandsTest {
  private static final String[] COMMANDS = {
      "spawn sh", "syscall getpid()", "syscall fork()", "syscall sched_yield()", "syscall pipe()",
      "syscall write(1, \"hi\")", "syscall read(0, 4)", "syscall nanosleep(1000000)",
      "syscall exit(0)", "syscall wait4(-1)", "syscall execve(\"sh\")", "syscall clone(0)",
      "sysenter getpid()", "call inner(1)", "call sum8(1,2,3,4,5,6,7,8)", "kthread k",
      "irq 3", "irq 0", "irq 15", "tick", "nmi", "exception db", "exception mc",
      "recurse 3", "recurse 40", "recurse 400", "break schedule", "break sys_getpid", "delete",
      "continue", "stepi 7", "finish", "reverse-stepi 5", "rsi 50", "bt", "bt 1", "bt -v",
      "stack", "stack 1", "ps", "x/4wx $sp", "x/2i $pc", "p current", "p *current",
      "p/x $sp", "p sizeof(struct pt_regs)", "p THREAD_SIZE", "struct task_struct",
      "info registers", "info config", "info breakpoints", "info symbol $pc", "console", "cpu 0",
      "cpu 1", "help",
      // inspection forms: default x sizes, named registers, bt options, C on the data model
      "x/4a $sp", "x/8c $sp", "x/x $sp", "info registers pc sp", "info registers nope", "bt -f",
      "bt full", "p/t 5", "p 4294967296 / 3", "p 1uu", "p (long long long)1", "p '#'",
      "p $pc == __pa(current)",
      // malformed
      "", "bogus", "irq", "irq x", "irq 99", "recurse", "recurse -5", "x/4zz 0", "x/4wx 0",
      "p (", "p 1 +", "p *(int *)0", "p nosuch", "syscall nosuch()", "syscall getpid(",
      "call nosuch()", "stepi 0", "bt 9999", "struct nosuch", "break nosuch", "cpu -1",
      "p $nosuch", "x/s 0xffffffffffffffff", "syscall write(1, \"unterminated)",
  };

  static List<Object[]> cases() {
    List<Object[]> out = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      for (long seed = 1; seed <= 5; seed++) {
        out.add(new Object[] {p, seed});
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void everyCommandInAnyOrderWorksOrFailsWithOneLocatedMessage(Profile p, long seed) {
    Machine m = Machine.create(p, p.arch().equals("i386") && p.kernel().startsWith("2.") && !p.kernel()
        .equals("2.6") ? 1 : 2);
    Session s = new Session(m);
    Random r = new Random(seed);
    run(s, 0, "boot");
    run(s, 0, "spawn sh");
    for (int i = 1; i <= 60; i++) {
      run(s, i, COMMANDS[r.nextInt(COMMANDS.length)]);
    }
  }

  private static void run(Session s, int index, String command) {
    try {
      Result res = s.execute(Source.commandLine(index, command));
      assertThat(String.join("\n", res.text())).as(command).doesNotContain("internal error");
    } catch (ScriptError e) {
      assertThat(e.getMessage()).as(command).doesNotContain("internal error").isNotBlank();
    } catch (RuntimeException e) {
      fail("'" + command + "' escaped with " + e, e);
    }
  }
}
