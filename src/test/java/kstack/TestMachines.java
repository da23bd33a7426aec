package kstack;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;

/** Machines in the states most tests start from. */
public final class TestMachines {
  private TestMachines() {}

  /**
   * The x86_64 generations with thread_info inside task_struct (4.16, 6.x): the ones the x86_64
   * mechanism tests are about; 2.6.32 has its own (X86Linux26Test).
   */
  public static java.util.List<Profile> x86_64ThreadInfoInTask() {
    return kstack.catalog.Profiles.of("x86_64").stream()
        .filter(p -> p.has(kstack.profile.Feature.THREAD_INFO_IN_TASK)).toList();
  }

  /** A word of kernel memory. */
  public static long word(Machine m, long addr) {
    return m.kernel().readPtr(addr);
  }

  /** An expression's value, as {@code p} would compute it. */
  public static long eval(Machine m, String e) {
    return kstack.lang.expr.Expressions.eval(e, m).asLong();
  }

  /** The function names of a backtrace (pid null: the selected CPU's current task). */
  public static java.util.List<String> functions(Machine m, Integer pid) {
    return m.inspector().backtrace(pid).stream().map(kstack.stack.Frame::function).toList();
  }

  /**
   * A function write(2) always passes through below the system call's own entry: vfs_write, or on
   * 2.4, which has no vfs_ layer (sys_write calls file->f_op->write), pipe_write.
   */
  public static String insideWrite(Profile p) {
    return p.has(kstack.profile.Feature.TASK_UNION) ? "pipe_write" : "vfs_write";
  }

  /** One CPU, booted, with a user process sh (pid 3) current and waiting for a command. */
  public static Machine spawned(Profile p) {
    Machine m = Machine.create(p, 1);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.spawn("sh").stop()).isEqualTo(Outcome.Stop.DONE);
    return m;
  }

  /**
   * Continues until no command is pending: an interrupt given while a command was stopped nests in
   * it, so finishing both takes one continue for the interrupt (back where it interrupted) and one
   * for the stopped command. Each must complete.
   */
  public static Outcome continueAll(Machine m) {
    Outcome o;
    int n = 0;
    do {
      o = m.continueRun();
      assertThat(o.stop()).as(o.message()).isEqualTo(Outcome.Stop.DONE);
      assertThat(++n).as("nested commands").isLessThan(8);
    } while (m.inspector().pendingCommand() != null);
    return o;
  }
}
