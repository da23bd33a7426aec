package kstack.kernel;

import kstack.stack.StackKind;
import static kstack.TestMachines.insideWrite;
import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.stack.TaskInfo;
import kstack.profile.Feature;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every architecture and generation passes: stack bounds and alignment, pt_regs at the
 * top of the stack, an empty kernel stack on every return to user mode, current found the
 * profile's way, and a blocked task resumed exactly where it stopped.
 */
class ContractTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }


  @ParameterizedTest
  @MethodSource("profiles")
  void everyStackIsAlignedAndEndsInTheMagic(Profile p) {
    Machine m = spawned(p);
    long align = m.kernel().constant("THREAD_ALIGN");
    for (TaskInfo t : m.inspector().ps()) {
      if (p.has(Feature.TASK_UNION)) {
        // 2.4 has no end-of-stack magic: the stack ends at the task_struct it shares the union with
        assertThat(t.stack() % align).as("pid %d", t.pid()).isZero();
        assertThat(t.stack()).as("pid %d", t.pid()).isEqualTo(t.task());
        continue;
      }
      assertThat(t.stack() % align).as("pid %d", t.pid()).isZero();
      if (p.has(Feature.CURRENT_FROM_THREAD_INFO)) {
        // 2.6.11 has no magic either: its check is thread_info->task pointing back at the task
        assertThat(m.kernel().tiRead(t.task(), "task")).as("pid %d", t.pid()).isEqualTo(t.task());
        continue;
      }
      // 2.6.32 writes the magic only in dup_task_struct (fork.c@2.6.32.67:254): never init_task's
      boolean never = t.pid() == 0 && !m.kernel().initSetsStackEndMagic();
      assertThat(m.kernel().readPtr(m.kernel().endOfStack(t.task()))).as("pid %d", t.pid())
          .isEqualTo(never ? 0 : Kernel.STACK_END_MAGIC);
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void inASystemCallPtRegsSitAtTheTopAndHoldTheUserStackPointer(Profile p) {
    Machine m = spawned(p);
    var regs = m.arch().registers();
    long userSp = m.cpu(0).get(regs.sp);
    m.addBreakpoint(insideWrite(p));
    assertThat(m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x"))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    long task = m.current();
    long pt = m.inspector().taskPtRegs(task);
    assertThat(pt + m.struct("pt_regs").size()
        + m.kernel().constant("TOP_OF_KERNEL_STACK_PADDING"))
        .isEqualTo(m.kernel().stack(task) + m.kernel().threadSize);
    if (p.arch().equals("x86_64") && p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE)) {
      // 2.6.32's SYSCALL fast path leaves pt_regs->sp unwritten: the user rsp waits in old_rsp
      assertThat(m.kernel().readPtr(m.inspector().perCpuAddress("old_rsp", 0))).isEqualTo(userSp);
    } else {
      // 2.4's and 2.6.11's pt_regs names
      String sp = p.has(Feature.TASK_UNION) || p.has(Feature.PT_REGS_60) ? "esp" : "sp";
      assertThat(m.kernel().readPtr(pt + m.struct("pt_regs").offset(sp))).isEqualTo(userSp);
    }
    long sp = m.cpu(0).get(regs.sp);
    assertThat(sp).isBetween(m.kernel().stack(task), pt);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyReturnToUserLeavesOnlyUserFrames(Profile p) {
    Machine m = spawned(p);
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
  void currentIsFoundTheProfilesWay(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint(insideWrite(p));
    long task = m.current(); // sh: pid 3, or 6 on 2.6.11, whose boot starts more threads
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    if (p.has(Feature.TASK_UNION)) {
      assertThat(m.cpu(0).get("esp") & -m.kernel().threadSize).as("esp & ~8191").isEqualTo(task);
    } else if (p.has(Feature.CURRENT_FROM_THREAD_INFO)) {
      // 2.6.11 has no current_task: current is the task word of the thread_info at esp & ~8191
      long ti = m.cpu(0).get("esp") & -m.kernel().threadSize;
      assertThat(m.kernel().readPtr(ti)).as("(esp & ~8191)->task").isEqualTo(task);
    } else if (p.arch().equals("arm64")) {
      assertThat(m.cpu(0).get("sp_el0")).as("SP_EL0 holds current in the kernel").isEqualTo(task);
    } else {
      assertThat(m.kernel().readPtr(m.inspector().perCpuAddress("current_task", 0))).isEqualTo(task);
    }
    assertThat(m.current()).isEqualTo(task);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aBlockedTaskResumesExactlyWhereItStopped(Profile p) {
    Machine m = spawned(p);
    var regs = m.arch().registers();
    long sp = m.cpu(0).get(regs.sp);
    int sh = m.kernel().pid(m.current()); // 3, or 6 on 2.6.11, whose boot starts more threads
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    List<String> chain = m.inspector().backtrace(sh).stream().map(Frame::function).toList();
    // 2.6.32 x86_64's switch_to resumes at thread_return, a label inside schedule()
    assertThat(chain).containsAnyOf("schedule", "thread_return")
        .containsAnyOf("do_nanosleep", "schedule_timeout"); // 2.4 sleeps on a timer_list
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.kernel().pid(m.current())).isEqualTo(sh);
    assertThat(m.cpu(0).get(regs.sp)).isEqualTo(sp);
    assertThat(m.cpu(0).get(regs.ret)).isZero();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void kthreadsAreChildrenOfKthreadd(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    assertThat(m.kthread("worker").stop()).isEqualTo(Outcome.Stop.DONE);
    var ps = m.inspector().ps();
    long t = ps.get(ps.size() - 1).task(); // pid 3; 2.6.11's boot starts more threads
    // 2.4 has no kthreadd: the thread is the child of the module's loader, init; nor has 2.6.11,
    // where the kthread helper workqueue's worker (pid 5) forks it
    assertThat(m.kernel().realParent(t)).isEqualTo(m.inspector().findTaskByVpid(
        p.has(Feature.NO_KTHREADD) ? 1 : p.has(Feature.KTHREAD_HELPER_WQ) ? 5 : 2));
    assertThat(m.kernel().comm(t)).isEqualTo("worker");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anInterruptReturnsToTheInterruptedCode(Profile p) {
    Machine m = spawned(p);
    var regs = m.arch().registers();
    long pc = m.cpu(0).get(regs.pc);
    assertThat(m.irq(3).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get(regs.pc)).isEqualTo(pc);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anIdleSecondaryCpuTakesADeviceInterruptAndATick(Profile p) {
    org.junit.jupiter.api.Assumptions.assumeFalse(p.kernel().equals("2.4") || p.kernel().equals("2.6.11"),
        "one CPU only");
    Machine m = Machine.create(p, 2);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    m.selectCpu(1);
    assertThat(m.irq(3).stop()).as("start_secondary enabled interrupts before the idle loop")
        .isEqualTo(Outcome.Stop.DONE);
    assertThat(m.tick().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aProcessThatExecedRunsWithUserDsAndTheIdleTaskKeepsKernelDs(Profile p) {
    String where = p.has(kstack.profile.Feature.TASK_UNION) ? "addr_limit"
        : p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE) ? null : "thread_info.addr_limit";
    Machine m = spawned(p);
    var k = m.kernel();
    long sh = m.current();
    long idle = m.symbol("init_task");
    java.util.function.LongUnaryOperator limit = t -> where != null ? k.taskRead(t, where)
        : k.tiRead(t, "addr_limit");
    org.junit.jupiter.api.Assumptions.assumeTrue(where == null || p.has(kstack.profile.Feature.TASK_UNION)
        || m.struct("thread_info").has("addr_limit"), "no addr_limit in this generation's model");
    assertThat(limit.applyAsLong(sh)).as("set_fs(USER_DS) at exec").isEqualTo(m.arch().userDs());
    assertThat(limit.applyAsLong(idle) & 0xffffffffL).as("KERNEL_DS").isEqualTo(0xffffffffL);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void onTwoSixEveryThreadInfoCarriesInitThreadInfosExecDomainAndRestartFn(Profile p) {
    org.junit.jupiter.api.Assumptions.assumeTrue(p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE));
    Machine m = spawned(p);
    for (long t : List.of(m.symbol("init_task"), m.current())) {
      assertThat(m.kernel().tiRead(t, "exec_domain")).isEqualTo(m.symbol("default_exec_domain"));
      assertThat(m.kernel().tiRead(t, "restart_block")).as("restart_block.fn")
          .isEqualTo(m.symbol("do_no_restart_syscall"));
    }
  }
}
