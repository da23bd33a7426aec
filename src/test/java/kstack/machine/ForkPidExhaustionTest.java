package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kstack.catalog.Profiles;
import kstack.kernel.PidTable;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When every pid below pid_max is in use, fork fails in the kernel and returns the generation's
 * error to user space (-EAGAIN; 2.6.32: -ENOMEM; 4.16: -ENOSPC), with nothing of the child left behind (no task
 * on the task list, no pid); once pids are free again the same process forks. The codes, with
 * their file@version:line, are in docs/research/fork-no-free-pid.md.
 */
class ForkPidExhaustionTest {

  /** The profiles whose fork has the failure path, and what their fork returns. */
  static Stream<Object[]> cases() {
    return Profiles.all().stream().map(p -> new Object[] {p,
        p.version().startsWith("4.16") ? -28L : p.version().startsWith("2.6.32") ? -12L : -11L});
  }

  private static String last(Session s, String command) {
    List<String> text = s.execute(Source.commandLine(1, command)).text();
    return text.get(text.size() - 1);
  }

  @ParameterizedTest(name = "{0}: fork returns {1}")
  @MethodSource("cases")
  void forkWithEveryPidInUseReturnsTheErrorAndLeavesNothingBehind(Profile p, long error) {
    Machine m = Machine.create(p, 1);
    Session s = new Session(m);
    last(s, "boot");
    last(s, "spawn sh");
    PidTable pids = m.kernel().pids;
    pids.setPidMax(PidTable.RESERVED_PIDS + 1);
    // every other pid below pid_max in use: held by stand-ins for tasks that were never forked
    List<Integer> standIns = new ArrayList<>();
    for (int pid = 1; pid < pids.pidMax(); pid++) {
      if (pids.findTask(pid) == 0) {
        pids.registerTask(pid, m.current());
        standIns.add(pid);
      }
    }
    Map<Integer, Long> pidsBefore = new HashMap<>(pids.tasks());
    int lastPid = pids.lastPid();
    int tasks = m.inspector().ps().size();
    int bits = 8 * m.arch().abi().wordSize();

    // arm64 has no fork system call: the C library's fork is clone(SIGCHLD)
    assertThat(last(s, "syscall fork()")).matches("syscall (fork|clone) returned " + error + " \\(0x"
        + Long.toHexString(bits == 64 ? error : error & ((1L << bits) - 1)) + "\\)");
    assertThat(pids.tasks()).isEqualTo(pidsBefore);
    assertThat(pids.lastPid()).isEqualTo(lastPid);
    assertThat(m.inspector().ps()).hasSize(tasks);

    standIns.forEach(pids::unregisterTask);
    assertThat(last(s, "syscall fork()")).matches("syscall (fork|clone) returned [1-9][0-9]* .*");
    assertThat(m.inspector().ps()).hasSize(tasks + 1);
  }
}
