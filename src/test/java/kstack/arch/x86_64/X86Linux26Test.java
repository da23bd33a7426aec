package kstack.arch.x86_64;

import kstack.kernel.ThreadInfoMember;
import kstack.stack.StackKind;
import static kstack.TestMachines.eval;
import static kstack.TestMachines.functions;
import static kstack.TestMachines.spawned;
import static kstack.TestMachines.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.kernel.Kernel;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import kstack.trace.Event;
import org.junit.jupiter.api.Test;

/** x86_64 at 2.6.32: thread_info at the base of 8 KiB stacks (docs/research/i386-and-2.x.md §7). */
class X86Linux26Test {
  private static final Profile P = Profiles.x86_64_2_6_32();

  private static Machine inWrite() {
    Machine m = spawned(P);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    return m;
  }

  @Test
  void threadInfoIs104BytesAtTheBaseOfAnEightKiBStack() {
    Machine m = spawned(P);
    long task = m.current();
    long stack = m.kernel().stacks.stack(task);
    assertThat(m.kernel().threadSize).isEqualTo(8192);
    assertThat(m.struct("thread_info").size()).isEqualTo(104);
    assertThat(word(m, stack)).isEqualTo(task);
    assertThat(word(m, stack + 104)).isEqualTo(Kernel.STACK_END_MAGIC);
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(stack + 8192 - 168);
  }

  @Test
  void currentThreadInfoComesFromKernelStackAndPointsAtCurrent() {
    Machine m = inWrite();
    long task = m.current();
    assertThat(word(m, m.inspector().perCpuAddress("kernel_stack", 0)))
        .isEqualTo(m.kernel().stacks.stack(task) + 8192 - 40);
    assertThat(eval(m, "current_thread_info()->task == current")).isEqualTo(1);
  }

  @Test
  void theSyscallFastPathSavesOnlyTheArgumentsAndKeepsTheUserRspInOldRsp() {
    Machine m = spawned(P);
    long userSp = m.cpu(0).get("rsp");
    long regs = m.inspector().taskPtRegs(m.current());
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("y")));
    assertThat(word(m, m.inspector().perCpuAddress("old_rsp", 0))).isEqualTo(userSp);
    assertThat(word(m, regs + m.struct("pt_regs").offset("bx")))
        .as("call *sys_call_table's return address sits in the rbx slot")
        .isEqualTo(m.symbol("system_call_fastpath") + 8);
    assertThat(functions(m, null)).containsSubsequence("vfs_write", "sys_write",
        "system_call_fastpath", "--- pt_regs ---", "main");
  }

  @Test
  void cloneGoesThroughStubCloneWhichCompletesPtRegs() {
    Machine m = spawned(P);
    long userSp = m.cpu(0).get("rsp");
    m.addBreakpoint("copy_thread");
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    assertThat(functions(m, null)).containsSubsequence("copy_thread", "copy_process", "do_fork",
        "sys_clone", "stub_clone");
    long regs = m.inspector().taskPtRegs(m.current());
    assertThat(word(m, regs + m.struct("pt_regs").offset("sp"))).as("FIXUP_TOP_OF_STACK")
        .isEqualTo(userSp);
    assertThat(word(m, regs + m.struct("pt_regs").offset("cs"))).isEqualTo(X86_64.USER_CS);
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    long child = m.inspector().findTaskByVpid(4);
    assertThat(m.kernel().tasks.threadSp(child)).isEqualTo(m.inspector().taskPtRegs(child));
    assertThat(m.kernel().tasks.tiRead(child, ThreadInfoMember.flags) & (1L << 18)).as("TIF_FORK").isNotZero();
    assertThat(functions(m, 4)).startsWith("ret_from_fork");
  }

  @Test
  void aSleepingTaskResumesAtThreadReturnWithRbpAndRflagsAtThreadSp() {
    Machine m = spawned(P);
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    assertThat(functions(m, 3)).containsSubsequence("thread_return", "do_nanosleep",
        "sys_nanosleep", "system_call_fastpath");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("rax")).isZero();
  }

  @Test
  void kernelThreadsStartInChildRipRightBelowTheirPtRegs() {
    Machine m = Machine.create(P, 1);
    m.boot();
    long t = m.inspector().findTaskByVpid(2);
    long top = m.kernel().stacks.stack(t) + 8192;
    assertThat(word(m, top - 176)).as("child_rip's fake return address").isZero();
    assertThat(word(m, top - 184)).isEqualTo(m.symbol("child_rip") + 0xc);
    assertThat(functions(m, 2)).containsSubsequence("thread_return", "kthreadd", "child_rip");
  }

  @Test
  void pid1ExecsThroughKernelExecveFromPtRegsInsideItsStack() {
    Machine m = Machine.create(P, 1);
    Outcome o = m.boot();
    assertThat(o.events()).extracting(Event::describe)
        .anyMatch(s -> s.contains("kernel_execve built"));
  }

  @Test
  void anInterruptFromUserModeRunsDoIrqOnTheIrqStack() {
    Machine m = spawned(P);
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.IRQ);
    assertThat(bt).extracting(Frame::function).containsSubsequence("do_IRQ", "common_interrupt",
        "--- pt_regs ---", "main");
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(word(m, m.inspector().perCpuAddress("irq_count", 0)) & 0xffffffffL).isEqualTo(0xffffffffL);
  }

  @Test
  void anInterruptInKernelModeNamesTheInterruptedFunction() {
    Machine m = inWrite();
    m.deleteBreakpoints();
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("do_IRQ", "common_interrupt",
        "--- pt_regs ---", "vfs_write", "sys_write");
  }

  @Test
  void anNmiRunsOnTheNmiIstStackWithItsPtRegsThereAndNoNestingProtocol() {
    Machine m = inWrite();
    m.deleteBreakpoints();
    m.addBreakpoint("default_do_nmi");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long top = ParanoidIst2632.istTop(m.kernel(), 0, 1);
    assertThat(m.cpu(0).get("rsp")).isBetween(top - 4096, top);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stackName()).isEqualTo("NMI stack");
    assertThat(bt).extracting(Frame::function).containsSubsequence("do_nmi", "nmi",
        "--- pt_regs ---", "vfs_write", "sys_write", "system_call_fastpath");
    assertThat(m.kernel().symbols.get("repeat_nmi")).as("the nested-NMI protocol came in 3.3").isNull();
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void withoutGuardPagesARecursionOverwritesThreadInfo() {
    Machine m = spawned(P);
    long task = m.current();
    assertThat(m.recurse(31).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(word(m, m.kernel().stacks.stack(task))).isNotEqualTo(task);
    assertThat(m.kernel().panicked()).isNull();
  }

  @Test
  void aSecondaryCpusIdleTaskResumesInItsIdleLoopBecauseDoBootCpuClearedTifFork() {
    Machine m = Machine.create(P, 2);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    m.selectCpu(1);
    assertThat(m.spawn("sh").stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.syscall("exit", List.of(Machine.Arg.of(0))).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(functions(m, null)).containsSubsequence("default_idle", "cpu_idle",
        "start_secondary");
  }

  /** FAKE_STACK_FRAME (entry_64.S@2.6.32:214-234) clears %eax first: SAVE_ALL then stores 0. */
  @Test
  void kernelThreadsForgedPtRegsHoldZeroInAxAndOrigAx() {
    Machine m = Machine.create(P, 1);
    m.addBreakpoint("do_fork");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("do_fork", "kernel_thread");
    long regs = m.cpu(0).get("rdx");
    var pt = m.struct("pt_regs");
    assertThat(word(m, regs + pt.offset("ip"))).isEqualTo(m.symbol("child_rip"));
    assertThat(word(m, regs + pt.offset("ax"))).isZero();
    assertThat(word(m, regs + pt.offset("orig_ax"))).isZero();
    assertThat(word(m, regs + pt.offset("sp"))).isZero();
  }

  /** ptregscall_common (entry_64.S@2.6.32:706-717): RESTORE_TOP_OF_STACK copies flags to r11. */
  @Test
  void aPtregsCallLeavesTheFlagsInR11ForSysret() {
    Machine m = spawned(P);
    m.addBreakpoint("ptregscall_common");
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long regs = m.inspector().taskPtRegs(m.current());
    var pt = m.struct("pt_regs");
    long flags = word(m, regs + pt.offset("flags"));
    m.deleteBreakpoints();
    m.stepi(1);
    assertThat(word(m, regs + pt.offset("r11"))).isEqualTo(flags);
    assertThat(m.cpu(0).get("r11")).isEqualTo(flags);
    assertThat(word(m, m.inspector().perCpuAddress("old_rsp", 0))).isEqualTo(word(m, regs + pt.offset("sp")));
  }

  /** do_boot_cpu (smpboot.c@2.6.32:759) hands the AP its per-CPU base through initial_gs. */
  @Test
  void anApTakesItsGsBaseFromInitialGs() {
    Machine m = Machine.create(P, 2);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(word(m, m.symbol("initial_gs"))).isEqualTo(m.kernel().perCpuOffset(1));
    assertThat(m.cpu(1).get("gs_base")).isEqualTo(m.kernel().perCpuOffset(1));
  }

  @Test
  void aDebugTrapFromUserModeStaysOnTheDebugIstStackWithItsEntryLowered() {
    Machine m = spawned(P);
    long tss = m.inspector().perCpuAddress("init_tss", 0);
    long istSlot = tss + m.struct("tss_struct").offsetOfPath("x86_tss.ist") + 16;
    long top = word(m, istSlot);
    m.addBreakpoint("do_debug");
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stackName()).isEqualTo("#DB stack");
    assertThat(m.cpu(0).get("rsp")).isBetween(top - 8192, top);
    assertThat(word(m, istSlot)).as("paranoidzeroentry_ist lowers DEBUG_STACK around the call")
        .isEqualTo(top - 4096);
    assertThat(functions(m, null)).containsSubsequence("do_debug", "debug", "--- pt_regs ---",
        "main");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(word(m, istSlot)).isEqualTo(top);
  }

  @Test
  void aMachineCheckInTheKernelRunsOnTheMceIstStackAndBtCrossesToTheTaskStack() {
    Machine m = inWrite();
    m.addBreakpoint("do_machine_check");
    assertThat(m.exception("mc").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null).get(0).stackName()).isEqualTo("#MC stack");
    assertThat(functions(m, null)).containsSubsequence("do_machine_check", "machine_check",
        "--- pt_regs ---", "vfs_write", "sys_write", "system_call_fastpath");
  }

  @Test
  void theSecondaryCpusIdleTaskIsForkedInsideDoBootCpuAndKeepsTheNameSwapper() {
    Machine m = Machine.create(P, 2);
    m.addBreakpoint("fork_idle");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("fork_idle", "do_fork_idle",
        "native_cpu_up", "smp_init", "kernel_init");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.kernel().tasks.comm(m.kernel().rq.idleTask(1))).isEqualTo("swapper");
  }
}
