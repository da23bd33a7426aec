package kstack.arch.i386;

import static kstack.TestMachines.eval;
import static kstack.TestMachines.functions;
import static kstack.TestMachines.spawned;
import static kstack.TestMachines.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.kernel.TaskMember;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * i386 at 2.4.22: the task_union with task_struct at its base, current = esp & ~8191, the 60-byte
 * pt_regs at the very top (docs/research/i386-and-2.x.md §1, §8.2).
 */
class I386Linux24Test {
  private static final Profile P = Profiles.i386_2_4();

  private static List<String> run(Machine m, String command) {
    // a command as the CLI runs it
    return new Session(m).execute(Source.commandLine(1, command)).text();
  }

  @Test
  void theStackShapeIsTheTaskUnion() {
    Machine m = spawned(P);
    assertThat(m.struct("pt_regs").size()).isEqualTo(60);
    assertThat(m.kernel().threadSize).isEqualTo(8192);
    assertThat(m.kernel().image.constant("TOP_OF_KERNEL_STACK_PADDING")).isZero();
    assertThat(m.kernel().image.structs).doesNotContainKey("thread_info");
    assertThat(m.kernel().image.consts).doesNotContainKey("STACK_END_MAGIC");
    long task = m.current();
    assertThat(m.kernel().stacks.stack(task)).as("the stack page is the task_struct itself").isEqualTo(task);
    assertThat(task % 8192).isZero();
  }

  @Test
  void currentIsTheStackPointerMaskedAndTheTaskStructAtTheStackBase() {
    Machine m = spawned(P);
    m.addBreakpoint("pipe_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    long esp = m.cpu(0).get("esp");
    assertThat(m.current()).isEqualTo(esp & ~8191L).isEqualTo(m.inspector().findTaskByVpid(3));
    assertThat(eval(m, "(unsigned long)current == ($esp & ~8191)")).isEqualTo(1);
    assertThat(eval(m, "((struct task_struct *)($esp & ~8191))->pid")).isEqualTo(3);
  }

  @Test
  void inUserModeCurrentIsTheUnionUnderTssEsp0() {
    Machine m = spawned(P);
    long tss = m.symbol("init_tss");
    assertThat(word(m, tss + 4)).as("TSS.esp0 = thread.esp0 = the top of the union")
        .isEqualTo(m.current() + 8192);
    assertThat(m.kernel().tasks.taskRead(m.current(), TaskMember.thread_esp0)).isEqualTo(m.current() + 8192);
  }

  @Test
  void ptRegsAreTheTop60BytesAndHoldTheUserStackPointer() {
    Machine m = spawned(P);
    long userSp = m.cpu(0).get("esp");
    m.addBreakpoint("sys_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("xy")));
    long task = m.current();
    long regs = m.inspector().taskPtRegs(task);
    assertThat(regs).isEqualTo(task + 8192 - 60);
    assertThat(word(m, regs + m.struct("pt_regs").offset("esp"))).isEqualTo(userSp);
    assertThat(word(m, regs + m.struct("pt_regs").offset("xcs"))).as("__USER_CS").isEqualTo(0x23);
    assertThat(m.cpu(0).get("esp")).as("the return address right below pt_regs->ebx")
        .isEqualTo(regs - 4);
    assertThat(word(m, regs)).as("fd = pt_regs->ebx, the first stack argument").isEqualTo(1);
    assertThat(functions(m, null)).containsSubsequence("sys_write", "system_call",
        "--- pt_regs ---", "main");
  }

  @Test
  void theForkChildGetsACopyOfPtRegsWithEaxZeroAndResumesInRetFromFork() {
    Machine m = spawned(P);
    long parentRegs = m.inspector().taskPtRegs(m.current());
    m.addBreakpoint("wake_up_process");
    m.syscall("fork", List.of());
    assertThat(functions(m, null)).containsSubsequence("wake_up_process", "do_fork", "sys_fork",
        "system_call");
    long child = m.inspector().findTaskByVpid(4);
    long regs = child + 8192 - 60;
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.thread_esp)).isEqualTo(regs);
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.thread_esp0)).isEqualTo(child + 8192);
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.thread_eip)).isEqualTo(m.symbol("ret_from_fork"));
    assertThat(word(m, regs + m.struct("pt_regs").offset("eax"))).isZero();
    assertThat(word(m, regs + m.struct("pt_regs").offset("eip")))
        .isEqualTo(word(m, parentRegs + m.struct("pt_regs").offset("eip")));
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.p_pptr)).isEqualTo(m.current());
    assertThat(m.kernel().tasks.taskRead(m.current(), TaskMember.p_cptr)).isEqualTo(child);
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void aSwitchedOutTaskSavedEbpEdiEsiAndResumesInsideSchedule() {
    Machine m = spawned(P);
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    long task = m.inspector().findTaskByVpid(3);
    long sp = m.kernel().tasks.taskRead(task, TaskMember.thread_esp);
    assertThat(word(m, sp) & ~8191L).as("the saved ebp: schedule's frame, in the same union")
        .isEqualTo(task);
    assertThat(sp & ~8191L).isEqualTo(task);
    assertThat(m.symbols().functionName(m.kernel().tasks.taskRead(task, TaskMember.thread_eip)))
        .isEqualTo("schedule");
    assertThat(functions(m, 3)).containsSubsequence("schedule", "schedule_timeout",
        "sys_nanosleep", "system_call", "--- pt_regs ---", "main");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("eax")).isZero();
  }

  @Test
  void sysSchedYieldOnlyAsksAndRetFromSysCallSwitches() {
    Machine m = spawned(P);
    m.syscall("fork", List.of());
    m.addBreakpoint("schedule");
    m.syscall("sched_yield", List.of());
    // called from system_call's reschedule label: sys_sched_yield has already returned
    assertThat(functions(m, null)).startsWith("schedule", "reschedule", "--- pt_regs ---")
        .doesNotContain("sys_sched_yield");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void kernelThreadsAreClonedThroughInt80FromKernelModeAndThereIsNoKthreadd() {
    Machine m = Machine.create(P, 1);
    m.boot();
    assertThat(m.kernel().tasks.comm(m.inspector().findTaskByVpid(2))).isEqualTo("keventd");
    assertThat(m.kernel().tasks.realParent(m.inspector().findTaskByVpid(2))).isEqualTo(m.inspector().findTaskByVpid(1));
    m.addBreakpoint("copy_thread");
    assertThat(m.kthread("worker").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("copy_thread", "do_fork", "sys_clone",
        "system_call", "--- pt_regs ---", "arch_kernel_thread", "kernel_thread",
        "kstack_demo_init", "sys_init_module", "system_call");
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).contains("2.4 has no kthreadd");
    long t = m.inspector().findTaskByVpid(3);
    assertThat(m.kernel().tasks.comm(t)).isEqualTo("worker");
    assertThat(m.kernel().tasks.taskRead(t, TaskMember.mm)).as("daemonize dropped the loader's mm").isZero();
    assertThat(m.kernel().tasks.taskRead(t, TaskMember.thread_esp0)).isEqualTo(t + 8192);
    assertThat(functions(m, 3)).containsSubsequence("schedule", "kstack_demo_thread",
        "arch_kernel_thread");
    assertThat(m.symbols().get("kthreadd")).isNull();
  }

  @Test
  void aDeepRecursionOverwritesTheTaskStructAndBtVReportsIt() {
    Machine m = spawned(P);
    assertThat(run(m, "bt -v")).last().isEqualTo("No stack overflow found.");
    assertThat(m.recurse(28).stop()).isEqualTo(Outcome.Stop.DONE);
    List<String> r = run(m, "bt -v");
    assertThat(r).anyMatch(l -> l.startsWith("PID 3 (sh): possible stack overflow: the "
        + "task_struct at the stack base is overwritten: thread.ioperm"));
    assertThat(r).last().isEqualTo("1 stack(s) overflowed.");
    assertThat(m.recurse(2).stop()).as("another module load still runs").isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void interruptsRunOnTheInterruptedTasksStack() {
    Machine m = spawned(P);
    m.addBreakpoint("kstack_demo_interrupt");
    m.irq(3);
    long esp = m.cpu(0).get("esp");
    assertThat(esp & ~8191L).as("no IRQ stack: still inside sh's union").isEqualTo(m.current());
    assertThat(functions(m, null)).containsSubsequence("kstack_demo_interrupt",
        "handle_IRQ_event", "do_IRQ");
    m.deleteBreakpoints();
    m.continueRun();
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    m.addBreakpoint("process_timeout");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("process_timeout", "timer_bh",
        "bh_action", "tasklet_hi_action", "do_softirq", "do_IRQ");
  }

  @Test
  void aSystemCallRunsWithInterruptsOnAndAnIrqNestsOnTheSameStack() {
    Machine m = spawned(P);
    m.addBreakpoint("pipe_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    assertThat(m.cpu(0).get("eflags") & 0x200).as("int $0x80 is a trap gate: IF stays on").isNotZero();
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(3).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("esp") & ~8191L).isEqualTo(m.current());
    assertThat(functions(m, null)).containsSubsequence("kstack_demo_interrupt", "do_IRQ",
        "call_do_IRQ", "--- pt_regs ---", "pipe_write", "sys_write", "system_call",
        "--- pt_regs ---", "main");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void debugAndMachineCheckGoThroughErrorCodeAndTheNmiCallsDoNmiOnTheSameStack() {
    Machine m = spawned(P);
    m.addBreakpoint("do_debug");
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long regs = m.inspector().taskPtRegs(m.current());
    assertThat(functions(m, null)).containsExactly("do_debug", "error_code", "--- pt_regs ---",
        "main", "_start");
    assertThat(word(m, regs + m.struct("pt_regs").offset("orig_eax"))).as("error_code leaves -1")
        .isEqualTo(0xffffffffL);
    assertThat(word(m, m.cpu(0).get("esp") + 4)).as("do_debug's first stack argument: &regs")
        .isEqualTo(regs);
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    m.addBreakpoint("pipe_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.addBreakpoint("unknown_nmi_error");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("esp") & ~8191L).as("no NMI stack on 2.4").isEqualTo(m.current());
    assertThat(functions(m, null)).containsSubsequence("unknown_nmi_error", "do_nmi", "nmi",
        "--- pt_regs ---", "pipe_write", "sys_write", "system_call", "--- pt_regs ---", "main");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    m.addBreakpoint("intel_machine_check");
    assertThat(m.exception("mc").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).startsWith("intel_machine_check", "do_machine_check",
        "error_code", "--- pt_regs ---");
  }

  @Test
  void laterNamesAreAnsweredWithTheTwoFourOnes() {
    Machine m = spawned(P);
    String regs = "(((struct pt_regs *)(THREAD_SIZE + (unsigned long)current)) - 1)";
    assertThatThrownBy(() -> run(m, "p " + regs + "->sp")).hasMessageContaining("try 'esp'");
    assertThatThrownBy(() -> run(m, "p init_task.stack")).hasMessageContaining("no task->stack");
    assertThatThrownBy(() -> run(m, "p current->real_parent")).hasMessageContaining("try 'p_opptr'");
    assertThat(eval(m, regs + "->xcs")).as("__USER_CS").isEqualTo(0x23);
    assertThatThrownBy(() -> run(m, "p current_thread_info()")).hasMessageContaining("no thread_info");
    assertThatThrownBy(() -> run(m, "p end_of_stack(current)")).hasMessageContaining("no end_of_stack");
  }

  /**
   * 2.4 has find_task_by_pid (include/linux/sched.h@2.4.22:552) and neither find_task_by_vpid,
   * task_stack_page nor task_pt_regs: each is refused with what a 2.4 text writes instead.
   */
  @Test
  void helpersTwoFourLacksAreRefusedWithItsOwnSpelling() {
    Machine m = spawned(P);
    assertThat(eval(m, "find_task_by_pid(1)->pid")).isEqualTo(1);
    assertThat(eval(m, "find_task_by_pid(1)->p_opptr->pid")).as("init's parent, swapper").isEqualTo(0);
    assertThatThrownBy(() -> run(m, "p find_task_by_vpid(1)"))
        .hasMessageContaining("not in this profile").hasMessageContaining("find_task_by_pid(PID)");
    assertThatThrownBy(() -> run(m, "p task_stack_page(current)"))
        .hasMessageContaining("not in this profile").hasMessageContaining("(unsigned long)T");
    assertThatThrownBy(() -> run(m, "p task_pt_regs(current)")).hasMessageContaining(
        "((struct pt_regs *)(THREAD_SIZE + (unsigned long)T)) - 1");
  }

  /** bt names the user's pt_regs without task_pt_regs, which 2.4 does not have. */
  @Test
  void btNamesTheUsersPtRegsWithoutAHelperTwoFourLacks() {
    Machine m = spawned(P);
    m.addBreakpoint("pipe_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    String bt = String.join("\n", run(m, "bt"));
    assertThat(bt).contains("at the task_union's top pt_regs 0x").doesNotContain("task_pt_regs");
  }

  @Test
  void smpAndSysenterAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> Machine.create(P, 2)).hasMessageContaining("SMP bring-up");
    Machine m = spawned(P);
    assertThatThrownBy(() -> m.sysenter("getpid", List.of()))
        .hasMessageContaining("no SYSENTER path");

  }

  @Test
  void doPipeTakesBothFilesBeforeThePipeInodeAsPipeC2422Does() {
    Machine m = spawned(P);
    String text = String.join("\n", m.routineAt(m.symbol("do_pipe")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    int f2 = text.indexOf("f2 = get_empty_filp()");
    assertThat(text.indexOf("f1 = get_empty_filp()")).isNotNegative().isLessThan(f2);
    assertThat(text.indexOf("get_pipe_inode()")).as("fs/pipe.c@2.4.22:515-523").isGreaterThan(f2);
  }
}
