package kstack.kernel;

import kstack.stack.StackKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.stack.TaskInfo;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** Blocked tasks: the backtrace read from the stack bytes, in each profile's names. */
class BlockingTest {
  private static List<String> kernelChain(Machine m, int pid) {
    return m.inspector().backtrace(pid).stream().takeWhile(f -> !f.function().startsWith("---"))
        .map(Frame::function).toList();
  }

  private static List<String> userChain(Machine m, int pid) {
    return m.inspector().backtrace(pid).stream().filter(f -> f.stack() == StackKind.USER)
        .map(Frame::function).toList();
  }

  private static Machine blockedReader(kstack.profile.Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("sh");
    m.syscall("pipe", List.of());
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long rfd = m.inspector().read(0x600000, 4);
    m.syscall("read", List.of(Machine.Arg.of(rfd), Machine.Arg.of(16)));
    return m;
  }

  @Test
  void aReaderBlockedOnAnEmptyPipeOn416() {
    Machine m = blockedReader(Profiles.x86_64_4_16());
    // __vfs_read jumps to new_sync_read (a sibling call on the ORC build): no frame of its own
    assertThat(kernelChain(m, 3)).containsExactly("__schedule", "schedule", "pipe_wait",
        "pipe_read", "new_sync_read", "vfs_read", "SyS_read", "do_syscall_64",
        "entry_SYSCALL_64_after_hwframe");
    assertThat(userChain(m, 3)).containsExactly("main", "_start");
  }

  @Test
  void aReaderBlockedOnAnEmptyPipeOn619() {
    Machine m = blockedReader(Profiles.x86_64_6_19());
    // x64_sys_call and __x64_sys_read jump (sibling calls): no frames of theirs (issue 8, item 18)
    assertThat(kernelChain(m, 3)).containsExactly("__schedule", "schedule", "anon_pipe_read",
        "new_sync_read", "vfs_read", "ksys_read", "do_syscall_64",
        "entry_SYSCALL_64_after_hwframe");
  }

  @Test
  void theWriterWakesTheReaderWhichReturnsTheBytes() {
    Machine m = blockedReader(Profiles.x86_64_6_19());
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(4);
    long wfd = m.inspector().read(0x600004, 4);
    m.syscall("write", List.of(Machine.Arg.of(wfd), Machine.Arg.of("hello")));
    assertThat(m.cpu(0).get("rax")).isEqualTo(5);
    m.run();
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(3);
    assertThat(m.cpu(0).get("rax")).isEqualTo(5);
    assertThat(m.inspector().readCString(0x600100, 16)).isEqualTo("hello");
    assertThat(m.inspector().ps()).filteredOn(t -> t.pid() == 3).extracting(TaskInfo::state).containsExactly("R");
  }

  @Test
  void aSleeperWaitsInDoNanosleepUntilItsTimerExpires() {
    for (var p : List.of(Profiles.x86_64_4_16(), Profiles.x86_64_6_19())) {
      Machine m = Machine.create(p, 1);
      m.boot();
      m.spawn("sh");
      m.syscall("nanosleep", List.of(Machine.Arg.of(2_000_000)));
      List<String> chain = kernelChain(m, 3);
      assertThat(chain).startsWith("__schedule", "schedule", "do_nanosleep", "hrtimer_nanosleep");
      assertThat(chain).contains(p.has(kstack.profile.Feature.SYSCALL_PTREGS_WRAPPERS)
          ? "__x64_sys_nanosleep" : "SyS_nanosleep");
      m.run();
      assertThat(m.kernel().timers.now()).isEqualTo(2_000_000);
      assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(3);
      assertThat(m.cpu(0).get("rax")).isZero();
    }
  }

  @Test
  void exitReleasesTheStackAndWait4ReapsTheZombie() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    m.boot();
    m.spawn("sh");
    m.syscall("fork", List.of());
    m.syscall("wait4", List.of(Machine.Arg.of(-1)));
    long child = m.inspector().findTaskByVpid(4);
    assertThat(m.current()).isEqualTo(child);
    long stack = m.kernel().stacks.stack(child);
    m.syscall("exit", List.of(Machine.Arg.of(7)));
    assertThat(m.kernel().stacks.stack(child)).as("finish_task_switch released it").isZero();
    assertThat(m.kernelMemory().regionAt(stack).name()).contains("cached_stacks");
    assertThat(m.inspector().findTaskByVpid(4)).as("reaped by wait4").isZero();
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(3);
    assertThat(m.cpu(0).get("rax")).isEqualTo(4);
    assertThat(m.inspector().read(0x600020, 4)).isEqualTo(7 << 8);
  }
}
