package kstack.kernel;

import kstack.stack.StackKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A system call from a spawned task, checked byte by byte on the task's kernel stack. */
class SyscallTest {
  static List<Profile> profiles() {
    return kstack.TestMachines.x86_64ThreadInfoInTask();
  }

  static Machine spawned(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("sh");
    return m;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void atDoSyscall64PtRegsSitsAtTheTopAndHoldsTheUserFrame(Profile p) {
    Machine m = spawned(p);
    long userRsp = m.cpu(0).get("rsp");
    long userRip = m.cpu(0).get("rip");
    m.addBreakpoint("do_syscall_64");
    assertThat(m.syscall("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long task = m.current();
    long regs = m.inspector().taskPtRegs(task);
    var k = m.kernel();
    assertThat(regs).isEqualTo(k.stacks.taskStackPage(task) + k.threadSize - 168);
    var mem = m.kernelMemory();
    var r = m.struct("pt_regs");
    assertThat(mem.read64(regs + r.offset("sp"))).isEqualTo(userRsp);
    assertThat(mem.read64(regs + r.offset("ip"))).as("after the inline SYSCALL step")
        .isEqualTo(userRip + 8);
    assertThat(mem.read64(regs + r.offset("cs"))).isEqualTo(0x33);
    assertThat(mem.read64(regs + r.offset("ss"))).isEqualTo(0x2b);
    assertThat(mem.read64(regs + r.offset("orig_ax"))).isEqualTo(39);
    assertThat(mem.read64(regs + r.offset("ax"))).isEqualTo(-38L);
    assertThat(m.cpu(0).get("rsp")).as("the call's return address sits just below pt_regs")
        .isEqualTo(regs - 8);
    assertThat(m.cpu(0).get("rdi")).isEqualTo(regs);
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("rsp")).isEqualTo(userRsp);
    assertThat(m.cpu(0).get("rax")).isEqualTo(3);
    assertThat(mem.read64(regs + r.offset("ax"))).isEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void beforeDoSyscall64BuildsItsFrameTheBacktraceStillReachesTheUserFrames(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("do_syscall_64");
    m.syscall("getpid", List.of());
    for (int step = 0; step < 2; step++) {
      assertThat(m.inspector().backtrace(null)).extracting(Frame::function).as("after %d steps", step)
          .containsSubsequence("do_syscall_64", "entry_SYSCALL_64_after_hwframe", "main", "_start");
      m.stepi(1);
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theSyscallEntryParksTheUserRspWhereTheProfileKeepsIt(Profile p) {
    Machine m = spawned(p);
    long userRsp = m.cpu(0).get("rsp");
    m.addBreakpoint("do_syscall_64");
    m.syscall("getpid", List.of());
    String slot = p.has(kstack.profile.Feature.SYSCALL_SCRATCH_RSP_SCRATCH)
        ? "rsp_scratch" : "cpu_tss_rw + TSS_sp2";
    long addr = m.inspector().perCpuAddress(slot, 0);
    assertThat(m.kernelMemory().read64(addr)).isEqualTo(userRsp);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyReturnToUserLeavesTheKernelStackEmpty(Profile p) {
    Machine m = spawned(p);
    for (String call : new String[] {"getpid", "pipe", "fork", "sched_yield"}) {
      m.syscall(call, List.of());
      // the entry code checks the invariant itself and faults the run if a frame is left below
      // pt_regs; here we check what the unwinder reads
      assertThat(m.cpu(0).get("cs") & 3).isEqualTo(3);
      List<Frame> bt = m.inspector().backtrace(null);
      assertThat(bt).allMatch(f -> f.stack() == StackKind.USER);
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void cloneReturnsTheChildsPidToTheParentAndZeroToTheChild(Profile p) {
    Machine m = spawned(p);
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long child = m.cpu(0).get("rax");
    assertThat(child).isEqualTo(4);
    long t = m.inspector().findTaskByVpid(4);
    long regs = m.inspector().taskPtRegs(t);
    assertThat(m.kernelMemory().read64(regs + m.struct("pt_regs").offset("ax"))).isZero();
    long frame = m.kernel().tasks.threadSp(t);
    assertThat(frame).isEqualTo(regs - 56);
    var f = m.struct("inactive_task_frame");
    long ret = m.kernelMemory().read64(frame + f.offset("ret_addr"));
    boolean v6 = p.has(kstack.profile.Feature.RET_FROM_FORK_ASM_AND_C);
    assertThat(m.symbols().describe(ret)).isEqualTo(v6 ? "ret_from_fork_asm" : "ret_from_fork");
    assertThat(m.kernelMemory().read64(frame + f.offset("bp"))).isEqualTo(v6 ? regs + 1 : 0);
    assertThat(m.kernelMemory().read64(frame + f.offset("bx"))).isZero();
    assertThat(m.kernel().tasks.taskRead(t, TaskMember.real_parent)).isEqualTo(m.inspector().findTaskByVpid(3));
  }

  @ParameterizedTest
  @MethodSource("kstack.catalog.Profiles#all")
  void aSuccessfulExecIsReportedAsTheNewProgramNotAsAReturnValue(Profile p) {
    Machine m = spawned(p);
    int sh = m.kernel().tasks.pid(m.current()); // 3, or 6 on 2.6.11, whose boot starts more threads
    Outcome o = m.syscall("execve", List.of(Machine.Arg.of("ls")));
    assertThat(o.message()).contains("pid " + sh + " now runs ls").doesNotContain("returned");
  }

  @ParameterizedTest
  @MethodSource("kstack.catalog.Profiles#all")
  void elfPlatInitClearsTheOldProgramsRegistersBeforeTheNewOneStarts(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("_start");
    assertThat(m.syscall("execve", List.of(Machine.Arg.of("ls"))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    List<String> regs = switch (p.arch()) {
      case "x86_64" -> List.of("rbx", "rsi", "rdi", "rbp", "r12", "r13", "r14", "r15");
      case "i386" -> List.of("ebx", "esi", "edi", "ebp");
      default -> List.of("x0");
    };
    for (String r : regs) {
      assertThat(m.cpu(0).get(r)).as(p + " " + r).isZero();
    }
  }
}
