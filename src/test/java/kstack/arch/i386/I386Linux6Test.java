package kstack.arch.i386;

import kstack.kernel.TaskMember;
import kstack.stack.StackKind;
import static kstack.TestMachines.functions;
import static kstack.TestMachines.spawned;
import static kstack.TestMachines.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** i386 at 6.19, the newest i386 (docs/research/i386-and-2.x.md §5). */
class I386Linux6Test {
  private static final Profile P = Profiles.i386_6_19();

  private static long tss(Machine m, String field) {
    return word(m, m.inspector().perCpuAddress("cpu_tss_rw", 0) + m.struct("tss_struct").offsetOfPath(field));
  }

  @Test
  void tssSp0IsTheEntryStackAndSp1TheRunningTasksStackTop() {
    Machine m = spawned(P);
    long task = m.current();
    assertThat(tss(m, "x86_tss.sp0")).isEqualTo(EntryStack.top(m.kernel(), 0));
    assertThat(tss(m, "x86_tss.sp1")).isEqualTo(m.kernel().tasks.taskRead(task, TaskMember.thread_sp0));
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(m.kernel().stacks.stack(task) + 8192 - 76);
  }

  @Test
  void int80CopiesPtRegsFromTheEntryStackAndCallsThePtRegsWrapper() {
    Machine m = spawned(P);
    long userSp = m.cpu(0).get("esp");
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    long regs = m.inspector().taskPtRegs(m.current());
    assertThat(word(m, regs + m.struct("pt_regs").offset("sp"))).isEqualTo(userSp);
    assertThat(functions(m, null)).containsSubsequence("vfs_write", "ksys_write",
        "__ia32_sys_write", "ia32_sys_call", "do_int80_syscall_32", "entry_INT80_32", "main");
    long entryTop = EntryStack.top(m.kernel(), 0);
    assertThat(word(m, entryTop - 8)).as("the CPU's frame stays behind on the entry stack: esp")
        .isEqualTo(userSp);
  }

  @Test
  void nanosleepIsTheTime32Entry() {
    Machine m = spawned(P);
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    assertThat(functions(m, 3)).contains("__ia32_sys_nanosleep_time32", "do_nanosleep");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void theSwitchFrameIs24BytesWithEflagsFirst() {
    Machine m = spawned(P);
    assertThat(m.struct("inactive_task_frame").size()).isEqualTo(24);
    assertThat(m.struct("inactive_task_frame").offset("flags")).isZero();
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long child = m.inspector().findTaskByVpid(4);
    long frame = m.kernel().tasks.threadSp(child);
    assertThat(word(m, frame)).as("X86_EFLAGS_FIXED").isEqualTo(2);
    assertThat(word(m, frame + m.struct("inactive_task_frame").offset("ret_addr")))
        .isEqualTo(m.symbol("ret_from_fork_asm"));
    assertThat(word(m, frame + m.struct("inactive_task_frame").offset("bp")))
        .as("encode_frame_pointer: pt_regs with bit 31 clear")
        .isEqualTo(m.inspector().taskPtRegs(child) & 0x7fffffffL);
  }

  @Test
  void deviceInterruptsMoveToTheHardirqStackOnlyFromKernelMode() {
    Machine m = spawned(P);
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null)).noneMatch(f -> f.stack() == StackKind.IRQ);
    m.deleteBreakpoints();
    m.run();
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.IRQ);
    assertThat(bt).extracting(Frame::function).containsSubsequence("__handle_irq",
        "__common_interrupt", "common_interrupt", "asm_common_interrupt", "--- pt_regs ---",
        "vfs_write");
  }

  @Test
  void theApicTimerRunsOnTheInterruptedStack() {
    Machine m = spawned(P);
    m.addBreakpoint("local_apic_timer_interrupt");
    assertThat(m.tick().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null)).allMatch(f -> f.stack() == StackKind.TASK || f.stack() == StackKind.USER);
    assertThat(functions(m, null)).as("the stub jumps to handle_exception, which calls the handler")
        .containsSubsequence("__sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt",
            "handle_exception", "--- pt_regs ---", "main")
        .doesNotContain("asm_sysvec_apic_timer_interrupt");
  }

  /** idtentry (entry_32.S@6.19:622-636) and handle_exception (:1032-1044) from user mode. */
  @Test
  void theTimersStubLeavesItsHandlerInTheGsSlotAndAZeroErrorCode() {
    Machine m = spawned(P);
    m.addBreakpoint("__sysvec_apic_timer_interrupt");
    assertThat(m.tick().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long regs = m.inspector().taskPtRegs(m.current());
    var pt = m.struct("pt_regs");
    assertThat(word(m, regs + pt.offset("gs"))).as("gs / function")
        .isEqualTo(m.symbol("sysvec_apic_timer_interrupt"));
    assertThat(word(m, regs + pt.offset("orig_ax"))).as("handle_exception: no syscall to restart")
        .isEqualTo(0xffffffffL);
    long onEntryStack = EntryStack.top(m.kernel(), 0) - 68;
    assertThat(word(m, onEntryStack + pt.offset("orig_ax")))
        .as("the copy SWITCH_TO_KERNEL_STACK took still holds the stub's pushl $0").isZero();
    assertThat(word(m, onEntryStack + pt.offset("gs")))
        .isEqualTo(m.symbol("sysvec_apic_timer_interrupt"));
  }

  /** The same frame when the tick lands in kernel mode: it stays on the interrupted task stack. */
  @Test
  void aKernelModeTickBuildsTheSameFrameOnTheTaskStack() {
    Machine m = spawned(P);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    m.addBreakpoint("__sysvec_apic_timer_interrupt");
    assertThat(m.tick().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    Frame f = m.inspector().backtrace(null).stream().filter(b -> b.function().equals("--- pt_regs ---"))
        .findFirst().orElseThrow();
    var pt = m.struct("pt_regs");
    assertThat(f.stack()).isEqualTo(StackKind.TASK);
    assertThat(word(m, f.frameAddr() + pt.offset("gs")))
        .isEqualTo(m.symbol("sysvec_apic_timer_interrupt"));
    assertThat(word(m, f.frameAddr() + pt.offset("orig_ax"))).isEqualTo(0xffffffffL);
    assertThat(functions(m, null)).containsSubsequence("sysvec_apic_timer_interrupt",
        "handle_exception", "--- pt_regs ---", "vfs_write");
  }

  /** idtentry_irq (entry_32.S@6.19:638-650): its own SAVE_ALL, a 0 in the gs slot. */
  @Test
  void deviceInterruptsKeepAZeroGsSlotAndPassTheVector() {
    Machine m = spawned(P);
    m.addBreakpoint("__common_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long regs = m.inspector().taskPtRegs(m.current());
    var pt = m.struct("pt_regs");
    assertThat(word(m, regs + pt.offset("gs"))).isZero();
    assertThat(word(m, regs + pt.offset("orig_ax"))).isEqualTo(0xffffffffL);
    assertThat(word(m, EntryStack.top(m.kernel(), 0) - 68 + pt.offset("orig_ax")))
        .as("the stub's vector (IRQ 1 at 0x31 here), before -1 replaced it").isEqualTo(0x31);
    assertThat(m.cpu(0).get("edx")).as("__common_interrupt(regs, vector)").isEqualTo(0x31);
    assertThat(functions(m, null)).containsSubsequence("__common_interrupt", "common_interrupt",
        "asm_common_interrupt", "--- pt_regs ---", "main");
  }

  /** copy_thread (process.c@6.19:242-262): childregs->ax = 0 comes before the args->fn test. */
  @Test
  void aUserModeThreadsCopiedRegsHaveAxCleared() {
    Machine m = Machine.create(P, 1);
    m.addBreakpoint("copy_thread");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long child = m.cpu(0).get("eax");
    long ax = m.struct("pt_regs").offset("ax");
    m.kernel().writePtr(m.inspector().taskPtRegs(m.current()) + ax, 0x1234);
    m.deleteBreakpoints();
    m.finish();
    long regs = m.inspector().taskPtRegs(child);
    assertThat(word(m, regs + ax)).as("pid 1, user_mode_thread(kernel_init)").isZero();
    assertThat(word(m, regs + m.struct("pt_regs").offset("ip"))).isZero();
  }

  /** ret_from_fork_asm (entry_32.S@6.19:726-741) returns into .Lsyscall_32_done (:941). */
  @Test
  void aForkedChildsFirstReturnAddressIsSyscall32Done() {
    Machine m = spawned(P);
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long child = m.inspector().findTaskByVpid(4);
    m.addBreakpoint("schedule_tail");
    while (m.current() != child) {
      assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    }
    long done = word(m, m.inspector().taskPtRegs(child) - 4);
    assertThat(m.kernel().symbols.describeOrHex(done)).startsWith("entry_INT80_32+");
    assertThat(done).as("STACKLEAK_ERASE, just before restore_all_switch_stack")
        .isEqualTo(m.symbol("restore_all_switch_stack") - 4);
    assertThat(functions(m, null)).containsSubsequence("schedule_tail", "ret_from_fork",
        "ret_from_fork_asm");
  }

  @Test
  void fixupFrameCompletesAKernelModeInterruptsPtRegsAndIretFrameUndoesIt() {
    Machine m = spawned(P);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    long esp = m.cpu(0).get("esp");
    long eip = m.cpu(0).pc();
    m.addBreakpoint("do_machine_check");
    assertThat(m.exception("mc").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    Frame regsFrame = m.inspector().backtrace(null).stream()
        .filter(f -> f.function().equals("--- pt_regs ---")).findFirst().orElseThrow();
    long regs = regsFrame.frameAddr();
    var pt = m.struct("pt_regs");
    assertThat(m.kernel().readPtr(regs + pt.offset("sp"))).as("the interrupted esp").isEqualTo(esp);
    assertThat(m.kernel().readPtr(regs + pt.offset("ss"))).isEqualTo(I386.KERNEL_DS);
    assertThat(m.kernel().readPtr(regs + pt.offset("cs"))).as("CS_FROM_KERNEL | __KERNEL_CS")
        .isEqualTo(I386.CS_FROM_KERNEL | I386.KERNEL_CS);
    assertThat(regs + pt.size()).as("the short frame's six words stay above as a gap")
        .isEqualTo(esp - 6 * 4);
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).as("back in vfs_write, where the write is stopped")
        .contains("resumed at vfs_write", "'syscall write' is still stopped there");
    assertThat(m.cpu(0).get("esp")).isEqualTo(esp);
    assertThat(m.cpu(0).pc()).isEqualTo(eip);
  }

  @Test
  void anExceptionOnTheEntryStackCopiesItWholeToTheTaskStackAndBack() {
    Machine m = spawned(P);
    m.addBreakpoint("entry_SYSENTER_32");
    assertThat(m.sysenter("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long entryTop = EntryStack.top(m.kernel(), 0);
    assertThat(m.cpu(0).get("esp")).isEqualTo(entryTop);
    m.deleteBreakpoints();
    m.addBreakpoint("exc_debug_kernel");
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    Frame regsFrame = m.inspector().backtrace(null).stream()
        .filter(f -> f.function().equals("--- pt_regs ---")).findFirst().orElseThrow();
    long sp1 = m.kernel().tasks.taskRead(m.current(), TaskMember.thread_sp0);
    assertThat(regsFrame.frameAddr()).as("3 CPU words, 2 stub words, fs, the 6-word gap and "
        + "FIXUP_FRAME's full frame: 92 bytes below TSS.sp1").isEqualTo(sp1 - 92);
    assertThat(m.kernel().readPtr(regsFrame.frameAddr() + m.struct("pt_regs").offset("cs")))
        .isEqualTo(I386Entry619.CS_FROM_ENTRY_STACK | I386.CS_FROM_KERNEL | I386.KERNEL_CS);
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).contains("resumed at entry_SYSENTER_32",
        "'syscall getpid' is still stopped there");
    assertThat(m.cpu(0).get("esp")).as("back on the entry stack").isEqualTo(entryTop);
  }
}
