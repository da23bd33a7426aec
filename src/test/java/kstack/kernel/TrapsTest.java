package kstack.kernel;

import kstack.stack.StackKind;
import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** #DB and #MC: their IST stack when they interrupt the kernel, the task stack from user mode. */
class TrapsTest {
  static List<Profile> profiles() {
    return kstack.TestMachines.x86_64ThreadInfoInTask();
  }


  private static long istTop(Machine m, int i) {
    return m.kernelMemory().read64(m.inspector().perCpuAddress("cpu_tss_rw", 0)
        + m.struct("tss_struct").offsetOfPath("x86_tss.ist") + 8L * i);
  }

  private static Machine inVfsWrite(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    return m;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aDebugExceptionInKernelModeRunsOnTheDbIstStackAndReturns(Profile p) {
    Machine m = inVfsWrite(p);
    long dbTop = istTop(m, 2);
    long pc = m.cpu(0).get("rip");
    String handler = p.version().equals("6.19") ? "exc_debug" : "do_debug";
    m.addBreakpoint(handler);
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long rsp = m.cpu(0).get("rsp");
    assertThat(rsp).isBetween(dbTop - 8192, dbTop);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.EXCEPTION);
    assertThat(bt).extracting(Frame::function).contains("vfs_write");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(istTop(m, 2)).as("the IST entry is back where it was").isEqualTo(dbTop);
    assertThat(pc).isNotZero();
  }

  @Test
  void on416TheDbIstEntryIsLoweredWhileDoDebugRunsSoANestedDbGetsFreshStack() {
    Machine m = inVfsWrite(Profiles.x86_64_4_16());
    long dbTop = istTop(m, 2);
    m.addBreakpoint("do_debug");
    m.exception("db");
    assertThat(istTop(m, 2)).isEqualTo(dbTop - 4096);
    assertThat(m.cpu(0).get("rsp")).isBetween(dbTop - 4096, dbTop);
  }

  @Test
  void on619TheDbIstEntryStaysPut() {
    Machine m = inVfsWrite(Profiles.x86_64_6_19());
    long dbTop = istTop(m, 2);
    m.addBreakpoint("exc_debug");
    m.exception("db");
    assertThat(istTop(m, 2)).isEqualTo(dbTop);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aMachineCheckFromUserModeMovesItsPtRegsToTheTaskStack(Profile p) {
    Machine m = spawned(p);
    long task = m.current();
    long userRsp = m.cpu(0).get("rsp");
    m.addBreakpoint("do_machine_check");
    assertThat(m.exception("mc").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long regs = m.inspector().taskPtRegs(task);
    assertThat(m.kernelMemory().read64(regs + m.struct("pt_regs").offset("sp"))).isEqualTo(userRsp);
    assertThat(m.kernelMemory().read64(regs + m.struct("pt_regs").offset("orig_ax"))).isEqualTo(-1);
    assertThat(m.inspector().backtrace(null)).filteredOn(f -> !f.function().startsWith("---"))
        .extracting(Frame::stack).containsOnly(StackKind.TASK, StackKind.USER);
    assertThat(m.cpu(0).get("rsp")).isBetween(m.kernel().stacks.stack(task), regs);
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("rsp")).isEqualTo(userRsp);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aMachineCheckInKernelModeRunsOnTheMceIstStack(Profile p) {
    Machine m = inVfsWrite(p);
    long mceTop = istTop(m, 3);
    m.addBreakpoint("do_machine_check");
    m.exception("mc");
    assertThat(m.cpu(0).get("rsp")).isBetween(mceTop - 8192, mceTop);
  }

  @Test
  void anUnknownExceptionNameIsRefusedWithTheKnownOnes() {
    Machine m = spawned(Profiles.x86_64_6_19());
    assertThatThrownBy(() -> m.exception("gp")).hasMessageContaining("db, mc");
    Machine a = spawned(Profiles.arm64_6_19());
    assertThatThrownBy(() -> a.exception("db")).hasMessageContaining("arm64");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aSecondNmiIsHeldUntilTheFirstHandlersIretqThenTakenBackToBack(Profile p) {
    Machine m = spawned(p);
    String handler = "default_do_nmi";
    m.addBreakpoint(handler);
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long firstFrame = m.cpu(0).get("rsp");
    Outcome second = m.nmi();
    assertThat(second.events()).extracting(kstack.trace.Event::describe)
        .anyMatch(s -> s.contains("NMI is pending: NMIs are blocked"));
    assertThat(second.stop()).as("the latched NMI is taken after the iretq").isEqualTo(
        Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("rsp")).as("the same frame again, the first one gone")
        .isEqualTo(firstFrame);
    assertThat(m.inspector().backtrace(null)).extracting(Frame::function).containsOnlyOnce(handler);
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  private static long nmiTop(Machine m) {
    return istTop(m, 1);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anNmiFromUserModeRunsOnTheTaskStackWithPtRegsAtItsTop(Profile p) {
    Machine m = spawned(p);
    long task = m.current();
    m.addBreakpoint("default_do_nmi");
    m.nmi();
    assertThat(m.cpu(0).get("rsp")).isBetween(m.kernel().stacks.stack(task), m.inspector().taskPtRegs(task));
    assertThat(m.kernelMemory().read64(m.inspector().taskPtRegs(task) + m.struct("pt_regs").offset("orig_ax")))
        .isEqualTo(-1);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aFirstNmiInKernelModeKeepsTheOutermostFrameAsPtRegsBelowTheExecutingWord(Profile p) {
    Machine m = inVfsWrite(p);
    long rip = m.cpu(0).get("rip");
    long rsp = m.cpu(0).get("rsp");
    m.addBreakpoint("default_do_nmi");
    m.nmi();
    long t = nmiTop(m);
    var mem = m.kernelMemory();
    assertThat(mem.read64(t - 56)).as("NMI executing").isEqualTo(1);
    long regs = t - 264;
    assertThat(mem.read64(regs + m.struct("pt_regs").offset("ip"))).isEqualTo(rip);
    assertThat(mem.read64(regs + m.struct("pt_regs").offset("sp"))).isEqualTo(rsp);
    assertThat(mem.read64(t - 96)).as("iret frame RIP = outermost RIP").isEqualTo(rip);
    assertThat(mem.read64(t - 40)).as("the CPU's original frame").isEqualTo(rip);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aNestedNmiRewritesTheOuterIretFrameToRepeatNmiAndTheHandlerRunsTwice(Profile p) {
    Machine m = inVfsWrite(p);
    long rip = m.cpu(0).get("rip");
    m.addBreakpoint("default_do_nmi");
    m.nmi();
    m.deleteBreakpoints();
    m.addBreakpoint(p.version().equals("6.19") ? "exc_debug" : "do_debug");
    m.exception("db");
    m.deleteBreakpoints();
    // the #DB handler's iretq back into the NMI handler has unblocked NMIs
    // the #DB nested in the stopped NMI: it ends back at default_do_nmi, where the NMI is stopped
    assertThat(m.continueRun().message()).contains("resumed at default_do_nmi",
        "'nmi' is still stopped there");
    Outcome nested = m.nmi();
    long t = nmiTop(m);
    var mem = m.kernelMemory();
    assertThat(mem.read64(t - 96)).as("iret RIP").isEqualTo(m.symbol("repeat_nmi"));
    assertThat(mem.read64(t - 72)).as("iret RSP: the outermost frame").isEqualTo(t - 136);
    assertThat(mem.read64(t - 136)).as("outermost RIP, untouched").isEqualTo(rip);
    assertThat(nested.events()).extracting(kstack.trace.Event::describe)
        .noneMatch(s -> s.contains("Uhhuh"));
    m.deleteBreakpoints();
    int mark = m.timeline().events().size();
    kstack.TestMachines.continueAll(m);
    assertThat(m.timeline().events().subList(mark, m.timeline().events().size()))
        .extracting(kstack.trace.Event::describe)
        .filteredOn(s -> s.contains("Uhhuh. NMI received")).hasSize(2);
    assertThat(mem.read64(t - 56)).as("NMI executing cleared").isZero();
  }

  @org.junit.jupiter.api.Test
  void aDebugExceptionInjectedWhileTheDbHandlerStillStandsOnItsIstStackIsRefusedWithTheReason() {
    Machine m = inVfsWrite(Profiles.x86_64_2_6_32());
    m.addBreakpoint("paranoid_exit");
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.deleteBreakpoints();
    assertThatThrownBy(() -> m.exception("db")).hasMessageStartingWith(
        "exception db: cpu 0 is still on this exception's IST stack (rsp 0x")
        .hasMessageContaining("would return into each other forever");
    assertThat(m.continueRun().stop()).as("the first #DB still finishes").isEqualTo(Outcome.Stop.DONE);
  }
}
