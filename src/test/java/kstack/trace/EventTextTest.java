package kstack.trace;

import static kstack.stack.StackKind.IRQ;
import static kstack.stack.StackKind.SOFTIRQ;
import static kstack.stack.StackKind.TASK;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kstack.trace.Event.*;
import org.junit.jupiter.api.Test;

/** EventText renders each event family's record as the story line the goldens hold. */
class EventTextTest {
  @Test
  void taskEventsRenderPidsCommsAndAddresses() {
    assertThat(new TaskCreated(0, 3, "sh", 1, 0x1000, 0x4000).describe()).isEqualTo(
        "[cpu0] task created: pid 3 (sh), parent 1, task_struct 0x1000, stack 0x4000");
    assertThat(new ContextSwitch(1, 3, "sh", 0, "swapper").describe())
        .isEqualTo("[cpu1] context switch: sh (3) -> swapper (0)");
    assertThat(new Blocked(0, 3, "wait4 for a child").describe())
        .isEqualTo("[cpu0] pid 3 blocks: wait4 for a child");
    assertThat(new Woken(0, 1, "pid 3").describe()).isEqualTo("[cpu0] pid 1 woken by pid 3");
    assertThat(new TaskExited(0, 4, 7).describe()).isEqualTo("[cpu0] pid 4 exits with code 7");
    assertThat(new LastSwitchOut(0, 4, true).describe())
        .isEqualTo("[cpu0] schedule: pid 4 leaves the CPU for the last time (PF_DEAD)");
    assertThat(new LastSwitchOut(0, 4, false).describe())
        .isEqualTo("[cpu0] do_task_dead: pid 4 leaves the CPU for the last time");
    assertThat(new ThreadAutoreaped(0, 5, 4).describe()).isEqualTo(
        "[cpu0] exit_notify: pid 5 (a thread of 4) is autoreaped: release_task, no zombie");
  }

  @Test
  void syscallAndReturnEventsNameTheExitPath() {
    assertThat(new SyscallEntry(0, 3, "getpid", 39, 0x7ff0, 0xff58).describe()).isEqualTo(
        "[cpu0] pid 3 enters getpid (nr 39): user sp 0x7ff0, pt_regs at 0xff58");
    assertThat(new SyscallExit(0, 3, "getpid", 3).describe())
        .isEqualTo("[cpu0] pid 3 returns to user from getpid = 3");
    assertThat(new ReturnToUser(0, 3, ReturnPath.IRETQ).describe())
        .isEqualTo("[cpu0] iretq: pid 3 returns to user mode from an interrupt");
    assertThat(new ReturnToUser(0, 3, ReturnPath.ERET).describe())
        .isEqualTo("[cpu0] eret: pid 3 returns to EL0");
    assertThat(new ReturnToUser(0, 3, ReturnPath.SYSEXIT).describe()).isEqualTo("[cpu0] sysexit: "
        + "pid 3 leaves by SYSEXIT: nothing popped from the kernel stack, esp = ecx, eip = edx");
    assertThat(new ExecStart(0, 1, "init").describe())
        .isEqualTo("[cpu0] execve: pid 1 (init) starts in user mode at _start");
    assertThat(new CorruptReturn(0, ReturnPath.ERET, "task_struct").describe()).isEqualTo(
        "[cpu0] kernel_exit: the return to user mode goes on although current's task_struct: "
            + "nothing on this path reads it");
    assertThat(new ExecveRegsLeft(0, ReturnPath.IRET, 1, 0xc0001f00L, true, "esp0", 0xc0002000L)
        .describe()).startsWith("[cpu0] iret: pid 1 leaves for user mode from the pt_regs that "
            + "init()'s execve stub int $0x80 built at 0xc0001f00").endsWith("TSS.esp0 (0xc0002000) again");
  }

  @Test
  void stackSwitchRendersTheNewStackAndItsBackLink() {
    assertThat(new StackSwitch(0, "interrupt_entry", TASK, IRQ, "IRQ stack", "rsp", 0x9000, BackLink.TOP_WORD,
        0x5f00).describe()).isEqualTo(
            "[cpu0] interrupt_entry: onto the IRQ stack: rsp = 0x9000, the top word links back to 0x5f00");
    assertThat(new StackSwitch(1, "call_on_irq_stack", TASK, IRQ, "IRQ stack", "sp", 0x9000, BackLink.NONE, 0)
        .describe()).isEqualTo("[cpu1] call_on_irq_stack: onto the IRQ stack: sp = 0x9000");
    assertThat(new StackSwitch(0, "do_IRQ", SOFTIRQ, IRQ, "hardirq stack", "esp", 0x9000, BackLink.PREVIOUS_ESP,
        0x5f00).describe()).isEqualTo("[cpu0] do_IRQ: onto the hardirq stack: esp = 0x9000; its "
            + "thread_info's previous_esp = 0x5f00");
    assertThat(new SoftirqWork(0, "esp", 0xabc).describe())
        .isEqualTo("[cpu0] kstack_demo_tasklet: softirq work runs with esp 0xabc");
  }

  @Test
  void bootEventsNameTheSymbolTheStackPointerCameFrom() {
    assertThat(new BootStack(0, "secondary_startup_64", "rsp", "initial_stack", 0x4000).describe())
        .isEqualTo("[cpu0] secondary_startup_64: rsp = initial_stack = 0x4000");
    assertThat(new CpuOnline(0, 1).describe())
        .isEqualTo("[cpu0] smp_init: CPU 1 is online on its idle task's stack");
    assertThat(new InitTaskCurrent(0, false).describe()).isEqualTo("[cpu0] start_kernel: per-CPU "
        + "areas in place; current = &init_task (pid 0) on init_stack");
  }

  @Test
  void interruptAndTrapEventsRenderVectorsAndTheStackTheyRunOn() {
    assertThat(new InterruptDelivered(0, "common_interrupt", "IRQ 5", 0x25, "cpu_idle+4", "pid 0")
        .describe()).isEqualTo(
            "[cpu0] common_interrupt: IRQ 5: vector 0x25 interrupts cpu_idle+4 (pid 0)");
    assertThat(new InterruptPending(0, "NMI", Held.NMI_BLOCKED, "do_nmi+8").describe()).isEqualTo(
        "[cpu0] pending: NMI is pending: NMIs are blocked until the running NMI handler's iretq "
            + "at do_nmi+8");
    assertThat(new NmiHandled(2, NmiPath.UNKNOWN_REASON, "rsp", 0x10).describe()).isEqualTo(
        "[cpu2] unknown_nmi_error: Uhhuh. NMI received for unknown reason on CPU 2 (rsp 0x10)");
    assertThat(new TrapHandled(0, TrapOutcome.DB_SIGTRAP_ANY_MODE, 3, "2.6.11", "esp", 0x20)
        .describe()).isEqualTo("[cpu0] #DB: DR6 = 0: 2.6.11 sends SIGTRAP to pid 3 whatever the "
            + "mode (signal delivery is not modelled) (running on esp 0x20)");
  }

  @Test
  void faultEventsRenderEachArchsOopsLine() {
    assertThat(new PageFaultOops(0, OopsForm.I386, 0xc0000ff8L, "foo+0x4", "pid 3", false)
        .describe()).isEqualTo("[cpu0] page_fault_oops: BUG: unable to handle kernel paging "
            + "request at c0000ff8, at foo+0x4 (pid 3)");
    assertThat(new PageFaultOops(0, OopsForm.ARM64, 0x10, "foo", "", true).describe()).isEqualTo(
        "[cpu0] page_fault_oops: Unable to handle kernel paging request at virtual address "
            + "0000000000000010, at foo; Internal error: Oops; the model holds no memory there, "
            + "where a real arm64 maps all of RAM in the linear map: a real overflow would go on "
            + "silently overwriting another allocation");
    assertThat(new DataAbort(0, true, "foo", 0x1000, "guard").describe())
        .isEqualTo("[cpu0] data abort: write at foo: write to guard page 0x1000 (guard)");
    assertThat(new Panic(0, "Kernel panic - not syncing: Fatal exception").describe())
        .isEqualTo("[cpu0] panic: Kernel panic - not syncing: Fatal exception");
    assertThat(new InitKilled(0, "0x0", Access.FETCH, 0).describe()).isEqualTo("[cpu0] do_exit: "
        + "init faults in user mode at 0x0 (instruction fetch at 0x0): SIGSEGV kills it, and the "
        + "kernel cannot go on without init");
  }

  /** String components that hold names (of tasks, routines, symbols, stacks, registers). */
  private static final Set<String> NAMES = Set.of("comm", "from", "to", "why", "by", "name",
      "routine", "stackName", "spReg", "source", "handler", "at", "who", "via", "release",
      "overwritten", "stackType", "guard", "tssField");

  @Test
  void onlyKernelPrintedLinesAreFreeTextEveryOtherStringIsAName() {
    List<String> text = new ArrayList<>();
    for (Class<?> c : Event.class.getPermittedSubclasses()) {
      assertThat(c.isRecord()).as(c.getName()).isTrue();
      for (RecordComponent rc : c.getRecordComponents()) {
        if (rc.getType() == String.class && !NAMES.contains(rc.getName())) {
          text.add(c.getSimpleName() + "." + rc.getName());
        }
      }
    }
    assertThat(text).containsExactlyInAnyOrder("Panic.message", "Console.line");
  }
}
