package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * The build's call shape (issue 8, item 18): on x86_64 6.x (ORC, no frame pointers) gcc -O2 turns
 * {@code return f(args)} into a jump, so the jumping function leaves no frame, except into a
 * __noreturn function; i386 and arm64 build with frame pointers and keep every frame.
 */
class SiblingCallTest {
  private static List<String> chainAt(kstack.profile.Profile p, String symbol, String call,
      List<Machine.Arg> args) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("sh");
    m.addBreakpoint(symbol);
    m.syscall(call, args);
    return m.inspector().backtrace(null).stream().takeWhile(f -> !f.function().startsWith("---"))
        .map(Frame::function).toList();
  }

  @Test
  void theCloneChainOnX8664SixHasNoFrameOfTheFunctionsThatJumped() {
    assertThat(chainAt(Profiles.x86_64_6_19(), "copy_process", "clone",
        List.of(Machine.Arg.of(17)))).containsExactly("copy_process", "kernel_clone",
            "__do_sys_clone", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
  }

  @Test
  void exitGroupKeepsX64SysCallAndItsWrapperBecauseItsCalleeNeverReturns() {
    assertThat(chainAt(Profiles.x86_64_6_19(), "do_exit", "exit_group",
        List.of(Machine.Arg.of(0)))).containsExactly("do_exit", "do_group_exit",
            "__x64_sys_exit_group", "x64_sys_call", "do_syscall_64",
            "entry_SYSCALL_64_after_hwframe");
  }

  @Test
  void readJumpsToKsysReadAndExecveInlinesDoExecve() {
    assertThat(chainAt(Profiles.x86_64_6_19(), "vfs_read", "read",
        List.of(Machine.Arg.of(0), Machine.Arg.of(4)))).containsExactly("vfs_read", "ksys_read",
            "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
    assertThat(chainAt(Profiles.x86_64_6_19(), "do_execveat_common", "execve",
        List.of(Machine.Arg.of("sh")))).startsWith("do_execveat_common", "__x64_sys_execve",
            "do_syscall_64");
  }

  @Test
  void theCloneChainOnX8664FourSixteenEndsInDoForkUnderDoSyscall64() {
    assertThat(chainAt(Profiles.x86_64_4_16(), "copy_process", "clone",
        List.of(Machine.Arg.of(17)))).containsExactly("copy_process", "_do_fork",
            "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
  }

  @Test
  void theJumpedFunctionStaysVisibleInItsSteps() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    String text = m.routineAt(m.symbols().get("x64_sys_call").address()).insns().stream()
        .map(kstack.exec.Insn::text).reduce("", (a, b) -> a + "\n" + b);
    assertThat(text).contains("a sibling call").contains("jmp __x64_sys_NAME")
        .contains("__noreturn: call");
  }

  @Test
  void wakeUpProcessJumpsToTryToWakeUp() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    m.spawn("sh");
    m.addBreakpoint("try_to_wake_up");
    m.kthread("demo");
    List<String> c = m.inspector().backtrace(null).stream().map(Frame::function).toList();
    assertThat(c).startsWith("try_to_wake_up", "__kthread_create_on_node");
  }

  @Test
  void framePointerBuildsKeepEveryFrame() {
    assertThat(chainAt(Profiles.arm64_6_19(), "copy_process", "clone",
        List.of(Machine.Arg.of(17)))).startsWith("copy_process", "kernel_clone",
            "__arm64_sys_clone", "__invoke_syscall");
    assertThat(chainAt(Profiles.i386_6_19(), "copy_process", "clone",
        List.of(Machine.Arg.of(17)))).startsWith("copy_process", "kernel_clone",
            "__ia32_sys_clone", "ia32_sys_call");
  }
}
