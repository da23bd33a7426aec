package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.machine.Machine;
import kstack.stack.TaskInfo;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** Threads (issue 8, item 17): CLONE_THREAD shares tgid and mm, and a thread leaves no zombie. */
class ThreadsTest {
  /** VM | FS | FILES | SIGHAND | THREAD | SYSVSEM */
  private static final long THREAD_FLAGS = 0x50f00;

  private static final List<Profile> WITH_THREADS = List.of(Profiles.x86_64_2_6_32(),
      Profiles.x86_64_4_16(), Profiles.x86_64_6_19(), Profiles.arm64_4_16(), Profiles.arm64_6_19(),
      Profiles.i386_2_6_32(), Profiles.i386_4_16(), Profiles.i386_6_19());

  /** sh makes a thread on a stack of its own, then sleeps, so that the thread runs. */
  private static Machine threadRunning(Profile p, long[] stack) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("sh");
    stack[0] = m.cpu(0).sp() - 0x8000 & -4096L;
    m.syscall("clone", List.of(Machine.Arg.of(THREAD_FLAGS), Machine.Arg.of(stack[0])));
    m.syscall("nanosleep", List.of(Machine.Arg.of(1_000_000)));
    return m;
  }

  @Test
  void aThreadHasItsParentsTgidAndMmAndItsOwnUserStack() {
    for (Profile p : WITH_THREADS) {
      long[] stack = new long[1];
      Machine m = threadRunning(p, stack);
      Kernel k = m.kernel();
      long thread = m.current();
      long sh = m.inspector().findTaskByVpid(3);
      assertThat(k.tasks.pid(thread)).as(p.label()).isEqualTo(4);
      assertThat(k.tasks.taskRead(thread, TaskMember.tgid)).as(p.label()).isEqualTo(3);
      assertThat(k.tasks.taskRead(thread, TaskMember.mm)).as(p.label()).isEqualTo(k.tasks.taskRead(sh, TaskMember.mm));
      assertThat(k.tasks.taskRead(thread, TaskMember.group_leader)).as(p.label()).isEqualTo(sh);
      assertThat(m.cpu(0).sp()).as(p.label() + ": the user stack passed to clone")
          .isEqualTo(stack[0]);
      assertThat(m.inspector().ps()).as(p.label()).filteredOn(t -> t.pid() == 4)
          .extracting(TaskInfo::tgid, TaskInfo::ppid).containsExactly(
              org.assertj.core.groups.Tuple.tuple(3, 1));
    }
  }

  @Test
  void anExitedThreadIsReapedAtOnceAndItsKernelStackReleased() {
    for (Profile p : WITH_THREADS) {
      Machine m = threadRunning(p, new long[1]);
      Kernel k = m.kernel();
      long thread = m.current();
      long stack = k.stacks.stack(thread);
      m.syscall("exit", List.of(Machine.Arg.of(0)));
      assertThat(m.inspector().ps()).as(p.label()).extracting(TaskInfo::pid).doesNotContain(4);
      assertThat(m.inspector().ps()).as(p.label()).noneMatch(t -> t.state().equals("Z"));
      assertThat(m.inspector().findTaskByVpid(4)).as(p.label()).isZero();
      var region = m.kernelMemory().regionAt(stack);
      assertThat(region == null || region.name().contains("free")).as(p.label()
          + ": the stack is unmapped or parked free in cached_stacks").isTrue();
      m.run();
      assertThat(k.tasks.pid(m.current())).as(p.label()).isEqualTo(3);
    }
  }

  @Test
  void theLeaderWaitsAsAZombieUntilItsLastThreadIsGone() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    m.spawn("sh");
    m.syscall("clone", List.of(Machine.Arg.of(THREAD_FLAGS),
        Machine.Arg.of(m.cpu(0).sp() - 0x8000 & -4096L)));
    m.syscall("exit", List.of(Machine.Arg.of(0)));
    assertThat(m.inspector().ps()).filteredOn(t -> t.pid() == 3).extracting(TaskInfo::state)
        .containsExactly("Z");
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(4);
    assertThat(m.inspector().ps()).extracting(TaskInfo::pid).contains(4);
    m.syscall("exit_group", List.of(Machine.Arg.of(0))); // the leader has exited: none to zap
    assertThat(m.inspector().ps()).extracting(TaskInfo::pid).doesNotContain(4);
    assertThat(m.inspector().ps()).filteredOn(t -> t.pid() == 3).extracting(TaskInfo::state)
        .containsExactly("Z");
  }

  @Test
  void exitStateHoldsEachGenerationsValues() {
    for (Profile p : List.of(Profiles.x86_64_2_6_32(), Profiles.i386_2_6_11(),
        Profiles.x86_64_4_16(), Profiles.x86_64_6_19())) {
      Machine m = Machine.create(p, 1);
      m.boot();
      m.spawn("sh");
      int sh = m.kernel().tasks.pid(m.current());
      m.syscall("exit", List.of(Machine.Arg.of(0)));
      boolean v26 = p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE);
      assertThat(m.kernel().tasks.taskRead(m.inspector().findTaskByVpid(sh), TaskMember.exit_state)).as(p.label())
          .isEqualTo(v26 ? 16 : 0x20); // EXIT_ZOMBIE
    }
  }

  @Test
  void cloneSettlsGivesTheThreadItsOwnTlsBase() {
    for (Profile p : List.of(Profiles.x86_64_4_16(), Profiles.x86_64_6_19(),
        Profiles.arm64_4_16(), Profiles.arm64_6_19())) {
      Machine m = Machine.create(p, 1);
      m.boot();
      m.spawn("sh");
      long stack = m.cpu(0).sp() - 0x8000 & -4096L;
      m.syscall("clone", List.of(Machine.Arg.of(THREAD_FLAGS | 0x80000), Machine.Arg.of(stack),
          Machine.Arg.of(0x7000_1000L)));
      long t = m.inspector().findTaskByVpid(4);
      TaskMember base = p.arch().equals("arm64") ? TaskMember.thread_tp_value : TaskMember.thread_fsbase;
      assertThat(m.kernel().tasks.taskRead(t, base)).as(p.label()).isEqualTo(0x7000_1000L);
    }
    Machine m = Machine.create(Profiles.i386_6_19(), 1);
    m.boot();
    m.spawn("sh");
    assertThatThrownBy(() -> m.syscall("clone", List.of(Machine.Arg.of(THREAD_FLAGS | 0x80000))))
        .hasMessageContaining("CLONE_SETTLS").hasMessageContaining("user_desc");
  }

  @Test
  void theChildrenOfAnExitingThreadGoToALiveThreadOfItsGroup() {
    Machine m = threadRunning(Profiles.x86_64_6_19(), new long[1]);
    long thread = m.current();
    m.syscall("fork", List.of()); // the thread forks pid 5
    long child = m.inspector().findTaskByVpid(5);
    assertThat(m.kernel().tasks.realParent(child)).isEqualTo(thread);
    m.syscall("exit", List.of(Machine.Arg.of(0)));
    assertThat(m.kernel().tasks.realParent(child)).isEqualTo(m.inspector().findTaskByVpid(3));
  }

  @Test
  void cloneRefusesAThreadWithoutSharedSignalHandlers() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    m.spawn("sh");
    m.syscall("clone", List.of(Machine.Arg.of(0x10000)));
    assertThat(m.cpu(0).get("rax")).isEqualTo(-22L);
    m.syscall("clone", List.of(Machine.Arg.of(0x800)));
    assertThat(m.cpu(0).get("rax")).isEqualTo(-22L);
  }

  @Test
  void clone3MakesAThreadOnTheStackItIsGiven() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    m.spawn("sh");
    long base = m.cpu(0).sp() - 0x8000 & -4096L;
    m.syscall("clone3", List.of(Machine.Arg.of(THREAD_FLAGS), Machine.Arg.of(0),
        Machine.Arg.of(base), Machine.Arg.of(4096)));
    assertThat(m.cpu(0).get("rax")).isEqualTo(4);
    m.syscall("clone3", List.of(Machine.Arg.of(THREAD_FLAGS), Machine.Arg.of(17)));
    assertThat(m.cpu(0).get("rax")).as("an exit_signal with CLONE_THREAD").isEqualTo(-22L);
    m.syscall("nanosleep", List.of(Machine.Arg.of(1_000_000)));
    assertThat(m.kernel().tasks.taskRead(m.current(), TaskMember.tgid)).isEqualTo(3);
    assertThat(m.cpu(0).sp()).as("clone3_stack_valid: stack + stack_size").isEqualTo(base + 4096);
  }

  @Test
  void exitGroupWithLiveThreadsIsRefusedWithTheReason() {
    Machine m = threadRunning(Profiles.x86_64_6_19(), new long[1]);
    assertThatThrownBy(() -> m.syscall("exit_group", List.of(Machine.Arg.of(0))))
        .hasMessageContaining("zap_other_threads").hasMessageContaining("1 other thread");
  }

  @Test
  void generationsWithoutModelledThreadGroupsRefuseCloneThreadWithTheReason() {
    for (Profile p : List.of(Profiles.i386_2_4(), Profiles.i386_2_6_11())) {
      Machine m = Machine.create(p, 1);
      m.boot();
      m.spawn("sh");
      assertThatThrownBy(() -> m.syscall("clone", List.of(Machine.Arg.of(THREAD_FLAGS))))
          .as(p.label()).hasMessageContaining("CLONE_THREAD").hasMessageContaining("not modelled");
    }
  }
}
