package kstack.contract;

import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.kernel.ThreadInfoMember;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.stack.TaskInfo;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every architecture and generation passes: stack size, alignment and end, pt_regs at
 * the top of the stack, an empty kernel stack on every return to user mode, current found the
 * profile's way, a blocked task resumed exactly where it stopped. Each profile's facts are its
 * {@link Expectations} record; nothing here asks which profile it runs.
 */
class ProfileContractTest {
  static List<Expectations> profiles() {
    return Expectations.all();
  }

  @Test
  void everyProfileOfTheTableHasItsExpectations() {
    assertThat(Expectations.all().stream().map(e -> e.profile().label()).toList())
        .containsExactlyInAnyOrderElementsOf(Profiles.all().stream().map(p -> p.label()).toList());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyStackHasTheGenerationsSizeAlignmentAndEnd(Expectations e) {
    Machine m = spawned(e.profile());
    assertThat(m.kernel().threadSize).as("THREAD_SIZE").isEqualTo(e.threadSize());
    assertThat(m.kernel().image.constant("THREAD_ALIGN")).as("THREAD_ALIGN").isEqualTo(e.threadAlign());
    for (TaskInfo t : m.inspector().ps()) {
      assertThat(t.stack() % e.threadAlign()).as("pid %d", t.pid()).isZero();
      e.stackEnd().check(m, t);
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void inASystemCallPtRegsSitAtTheTopAndHoldTheUserStackPointer(Expectations e) {
    Machine m = spawned(e.profile());
    var regs = m.arch().registers();
    long userSp = m.cpu(0).get(regs.sp);
    m.addBreakpoint(e.insideWrite());
    assertThat(m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x"))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    long task = m.current();
    long pt = m.inspector().taskPtRegs(task);
    assertThat(m.struct("pt_regs").size()).as("sizeof(struct pt_regs)").isEqualTo(e.ptRegsSize());
    assertThat(m.kernel().image.constant("TOP_OF_KERNEL_STACK_PADDING")).isEqualTo(e.topPadding());
    assertThat(pt + e.ptRegsSize() + e.topPadding())
        .isEqualTo(m.kernel().stacks.stack(task) + e.threadSize());
    e.userSp().check(m, pt, userSp);
    assertThat(m.cpu(0).get(regs.sp)).isBetween(m.kernel().stacks.stack(task), pt);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyReturnToUserLeavesOnlyUserFrames(Expectations e) {
    Machine m = spawned(e.profile());
    var regs = m.arch().registers();
    long sp = m.cpu(0).get(regs.sp);
    long pc = m.cpu(0).get(regs.pc);
    for (String call : new String[] {"getpid", "pipe", "sched_yield", "write"}) {
      List<Machine.Arg> args = call.equals("write")
          ? List.of(Machine.Arg.of(1), Machine.Arg.of("hi")) : List.of();
      assertThat(m.syscall(call, args).stop()).isEqualTo(Outcome.Stop.DONE);
      assertThat(m.arch().inUserMode(m.kernel(), 0)).isTrue();
      assertThat(m.inspector().backtrace(null)).allMatch(f -> f.stack() == StackKind.USER);
      assertThat(m.cpu(0).get(regs.sp)).as(call).isEqualTo(sp);
      assertThat(m.cpu(0).get(regs.pc)).as(call).isEqualTo(pc);
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void currentIsFoundTheProfilesWay(Expectations e) {
    Machine m = spawned(e.profile());
    m.addBreakpoint(e.insideWrite());
    long task = m.current();
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    e.current().check(m, task);
    assertThat(m.current()).isEqualTo(task);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aBlockedTaskResumesExactlyWhereItStopped(Expectations e) {
    Machine m = spawned(e.profile());
    var regs = m.arch().registers();
    long sp = m.cpu(0).get(regs.sp);
    int sh = m.kernel().tasks.pid(m.current()); // 3, or 6 on 2.6.11, whose boot starts more threads
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    List<String> chain = m.inspector().backtrace(sh).stream().map(Frame::function).toList();
    assertThat(chain).contains(e.sleepFrames().get(0), e.sleepFrames().get(1));
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(sh);
    assertThat(m.cpu(0).get(regs.sp)).isEqualTo(sp);
    assertThat(m.cpu(0).get(regs.ret)).isZero();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aNewKthreadIsTheChildOfTheGenerationsCreator(Expectations e) {
    Machine m = Machine.create(e.profile(), 1);
    m.boot();
    assertThat(m.kthread("worker").stop()).isEqualTo(Outcome.Stop.DONE);
    var ps = m.inspector().ps();
    long t = ps.get(ps.size() - 1).task();
    assertThat(m.kernel().tasks.realParent(t)).isEqualTo(m.inspector().findTaskByVpid(e.kthreadParent()));
    assertThat(m.kernel().tasks.comm(t)).isEqualTo("worker");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anInterruptReturnsToTheInterruptedCode(Expectations e) {
    Machine m = spawned(e.profile());
    var regs = m.arch().registers();
    long pc = m.cpu(0).get(regs.pc);
    assertThat(m.irq(3).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get(regs.pc)).isEqualTo(pc);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anIdleSecondaryCpuTakesADeviceInterruptAndATick(Expectations e) {
    assumeTrue(e.smp(), "the model boots one CPU on this profile");
    Machine m = Machine.create(e.profile(), 2);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    m.selectCpu(1);
    assertThat(m.irq(3).stop()).as("start_secondary enabled interrupts before the idle loop")
        .isEqualTo(Outcome.Stop.DONE);
    assertThat(m.tick().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aProcessThatExecedRunsWithUserDsAndTheIdleTaskKeepsKernelDs(Expectations e) {
    Machine m = spawned(e.profile());
    long sh = m.current();
    long idle = m.symbol("init_task");
    assumeTrue(e.addrLimit().read(m, sh) != -1, "no addr_limit in this generation or model");
    assertThat(e.addrLimit().read(m, sh)).as("set_fs(USER_DS) at exec")
        .isEqualTo(m.arch().userDs());
    assertThat(e.addrLimit().read(m, idle) & 0xffffffffL).as("KERNEL_DS").isEqualTo(0xffffffffL);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void withThreadInfoAtTheBaseEveryCopyCarriesInitThreadInfosExecDomainAndRestartFn(
      Expectations e) {
    assumeTrue(e.threadInfoAtBase(), "thread_info is not at the stack's base");
    Machine m = spawned(e.profile());
    for (long t : List.of(m.symbol("init_task"), m.current())) {
      assertThat(m.kernel().tasks.tiRead(t, ThreadInfoMember.exec_domain)).isEqualTo(m.symbol("default_exec_domain"));
      assertThat(m.kernel().tasks.tiRead(t, ThreadInfoMember.restart_block)).as("restart_block.fn")
          .isEqualTo(m.symbol("do_no_restart_syscall"));
    }
  }
}
