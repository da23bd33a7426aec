package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** kthread_create_on_node → kthread_create_list → kthreadd → create_kthread → the new thread. */
class KthreadTest {
  static List<Profile> profiles() {
    return Profiles.of("x86_64");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theNewThreadIsAChildOfKthreaddAndRunsItsFunction(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    Outcome o = m.kthread("worker");
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    long t = m.inspector().findTaskByVpid(3);
    assertThat(m.kernel().tasks.comm(t)).isEqualTo("worker");
    assertThat(m.kernel().tasks.taskRead(t, TaskMember.real_parent)).isEqualTo(m.inspector().findTaskByVpid(2));
    assertThat(m.kernel().tasks.isKthread(t)).isTrue();
    assertThat(m.kernel().tasks.taskRead(t, TaskMember.mm)).isZero();
    assertThat(m.inspector().backtrace(3)).extracting(Frame::function)
        .contains("kstack_demo_thread", "kthread");
    assertThat(m.kernel().listEmpty(m.symbols().get("kthread_create_list").address())).isTrue();
  }

  @Test
  void atAllocThreadStackNodeTheChainRunsFromKthreaddThroughDoFork() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    m.boot();
    m.addBreakpoint("alloc_thread_stack_node");
    assertThat(m.kthread("worker").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    // kernel_thread is `return _do_fork(...)`: a sibling call on the ORC build, no frame
    assertThat(m.inspector().backtrace(null)).extracting(Frame::function).containsExactly(
        "alloc_thread_stack_node", "dup_task_struct", "copy_process", "_do_fork",
        "create_kthread", "kthreadd", "ret_from_fork");
  }

  @Test
  void atAllocThreadStackNodeTheChainRunsFromKthreaddThroughKernelCloneOn619() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    m.addBreakpoint("alloc_thread_stack_node");
    m.kthread("worker");
    assertThat(m.inspector().backtrace(null)).extracting(Frame::function).containsExactly(
        "alloc_thread_stack_node", "dup_task_struct", "copy_process", "kernel_clone",
        "kernel_thread", "create_kthread", "kthreadd", "ret_from_fork", "ret_from_fork_asm");
  }

  @Test
  void theRequesterSleepsOnACompletionOnItsOwnStack() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    m.boot();
    m.addBreakpoint("create_kthread");
    m.kthread("worker");
    List<String> chain = m.inspector().backtrace(1).stream().map(Frame::function).toList();
    assertThat(chain).containsSubsequence("__schedule", "schedule", "schedule_timeout",
        "wait_for_common", "wait_for_completion_killable", "__kthread_create_on_node",
        "kthread_create_on_node", "kstack_demo_init", "do_one_initcall", "do_init_module",
        "load_module", "SyS_finit_module", "do_syscall_64");
  }
}
