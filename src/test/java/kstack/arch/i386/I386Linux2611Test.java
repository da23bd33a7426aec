package kstack.arch.i386;

import kstack.kernel.TaskMember;
import kstack.stack.StackKind;
import static kstack.TestMachines.eval;
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

/**
 * i386 at 2.6.11, the seed articles' generation: thread_info at the stack base and current =
 * current_thread_info()->task (docs/research/i386-and-2.x.md §2).
 */
class I386Linux2611Test {
  private static final Profile P = Profiles.i386_2_6_11();

  @Test
  void kernel2611SelectsThisProfileAndKernel26StillThe2632One() {
    assertThat(Profiles.find("i386", "2.6.11").orElseThrow().version()).isEqualTo("2.6.11");
    assertThat(Profiles.find("i386", "2.6").orElseThrow().version()).isEqualTo("2.6.32");
  }

  @Test
  void ptRegsAre60BytesAtTheVeryTopOfAn8KStack() {
    Machine m = spawned(P);
    long task = m.current();
    assertThat(m.struct("pt_regs").size()).isEqualTo(60);
    assertThat(m.kernel().threadSize).isEqualTo(8192);
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(m.kernel().stacks.stack(task) + 8192 - 60);
    assertThat(m.kernel().tasks.taskRead(task, TaskMember.thread_esp0)).isEqualTo(m.kernel().stacks.stack(task) + 8192);
    assertThat(m.struct("pt_regs").has("fs")).as("no fs/gs in 2.6.11's pt_regs").isFalse();
  }

  @Test
  void currentIsTheTaskOfTheThreadInfoAtTheMaskedStackPointer() {
    Machine m = spawned(P);
    long task = m.current();
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    long ti = m.cpu(0).get("esp") & -8192L;
    assertThat(eval(m, "(unsigned long)current_thread_info()")).isEqualTo(ti);
    assertThat(eval(m, "current_thread_info()->task == current")).isEqualTo(1);
    assertThat(word(m, ti)).as("(esp & ~8191)->task").isEqualTo(task);
    assertThat(m.symbols().get("current_task")).as("no per-CPU current_task").isNull();
  }

  @Test
  void threadInfoIs52BytesWithNoMagicAfterIt() {
    Machine m = spawned(P);
    long task = m.current();
    assertThat(m.struct("thread_info").size()).isEqualTo(52);
    assertThat(m.struct("task_struct").has("thread_info")).as("task->thread_info").isTrue();
    assertThat(m.struct("task_struct").has("stack")).isFalse();
    assertThat(m.kernel().tasks.taskRead(task, TaskMember.thread_info)).isEqualTo(m.kernel().stacks.stack(task));
    assertThat(m.arch().constants(P)).doesNotContainKey("STACK_END_MAGIC");
    assertThat(word(m, m.kernel().stacks.stack(task) + 52)).as("no magic above thread_info")
        .isNotEqualTo(kstack.kernel.Kernel.STACK_END_MAGIC);
  }

  @Test
  void aForkedChildGetsACopyOfThePtRegsWithEaxZero() {
    Machine m = spawned(P);
    int parent = m.kernel().tasks.pid(m.current());
    m.addBreakpoint("copy_thread");
    m.syscall("fork", List.of());
    assertThat(functions(m, null)).containsSubsequence("copy_thread", "copy_process", "do_fork",
        "sys_fork", "syscall_call", "main");
    m.deleteBreakpoints();
    m.addBreakpoint("ret_from_fork"); // the child runs first, then parks in sched_yield
    m.run();
    long child = m.current();
    assertThat(m.kernel().tasks.pid(child)).isGreaterThan(parent);
    long regs = m.inspector().taskPtRegs(child);
    assertThat(regs).isEqualTo(m.kernel().stacks.stack(child) + 8192 - 60);
    assertThat(word(m, regs + m.struct("pt_regs").offset("eax"))).as("childregs->eax").isZero();
    assertThat(word(m, regs + m.struct("pt_regs").offset("eip")))
        .isEqualTo(word(m, m.inspector().taskPtRegs(m.inspector().findTaskByVpid(parent)) + m.struct("pt_regs").offset("eip")));
  }

  @Test
  void aSystemCallRunsBelowSystemCallWithPtRegsAsItsArguments() {
    Machine m = spawned(P);
    m.addBreakpoint("sys_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("xy")));
    long regs = m.inspector().taskPtRegs(m.current());
    assertThat(m.cpu(0).get("esp")).as("return address right below pt_regs->ebx").isEqualTo(regs - 4);
    assertThat(functions(m, null)).containsSubsequence("sys_write", "syscall_call", "main");
  }

  @Test
  void thereIsNoKthreaddAndKthreadCreateGoesThroughTheHelperWorkqueue() {
    Machine m = Machine.create(P, 1);
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.symbols().get("kthreadd")).isNull();
    assertThat(m.kernel().tasks.comm(m.inspector().findTaskByVpid(2))).isEqualTo("ksoftirqd/0");
    assertThat(m.kernel().tasks.comm(m.inspector().findTaskByVpid(5))).isEqualTo("kthread");
    m.addBreakpoint("dup_task_struct");
    assertThat(m.kthread("worker").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.kernel().tasks.pid(m.current())).as("the helper workqueue's thread forks it").isEqualTo(5);
    assertThat(functions(m, null)).containsSubsequence("dup_task_struct", "do_fork",
        "kernel_thread", "keventd_create_kthread", "run_workqueue", "worker_thread", "kthread",
        "kernel_thread_helper");
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    long t = m.inspector().findTaskByVpid(6);
    assertThat(m.kernel().tasks.comm(t)).isEqualTo("worker");
    assertThat(m.kernel().tasks.realParent(t)).isEqualTo(m.inspector().findTaskByVpid(5));
  }

  @Test
  void nanosleepIsWokenByProcessTimeoutFromTheTimerSoftirq() {
    Machine m = spawned(P);
    int sh = m.kernel().tasks.pid(m.current());
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000000)));
    assertThat(functions(m, sh)).containsSubsequence("schedule", "schedule_timeout",
        "sys_nanosleep", "syscall_call");
    m.addBreakpoint("process_timeout");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("process_timeout", "run_timer_softirq",
        "do_softirq", "irq_exit", "do_IRQ", "common_interrupt");
    assertThat(m.symbols().get("smp_apic_timer_interrupt")).isNull();
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(sh);
    assertThat(m.symbols().get("hrtimer_interrupt")).isNull();
  }

  @Test
  void theUniprocessorTickIsIrq0sTimerInterruptThroughFastcallDoIrq() {
    Machine m = spawned(P);
    assertThat(m.arch().timerVector()).as("FIRST_EXTERNAL_VECTOR + TIMER_IRQ").isEqualTo(0x20);
    assertThat(m.arch().irqVector(1)).as("init_ISA_irqs: 0x20 + irq").isEqualTo(0x21);
    m.addBreakpoint("update_process_times");
    assertThat(m.tick().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("update_process_times", "timer_interrupt",
        "handle_IRQ_event", "__do_IRQ", "do_IRQ", "common_interrupt");
    assertThat(functions(m, null)).doesNotContain("do_timer");
    for (String s : new String[] {"handle_irq", "handle_edge_irq", "apic_timer_interrupt"}) {
      assertThat(m.symbols().get(s)).as(s).isNull();
    }
  }

  @Test
  void aDeepRecursionClobbersThreadInfoSoCurrentIsLostAndBtVReportsIt() {
    Machine m = spawned(P);
    long task = m.current();
    assertThat(m.recurse(32).stop()).isEqualTo(Outcome.Stop.PANIC);
    assertThat(word(m, m.kernel().stacks.stack(task))).as("thread_info->task").isNotEqualTo(task);
    var r = new kstack.lang.Session(m).execute(kstack.lang.Source.commandLine(1, "bt -v"));
    assertThat(String.join("\n", r.text())).contains("thread_info overwritten")
        .doesNotContain("STACK_END_MAGIC overwritten");
  }

  @Test
  void with4kStacksAnInterruptCopiesTheTaskIntoTheHardirqThreadInfo() {
    Machine m = spawned(P.withConfig("4KSTACKS", true));
    assertThat(m.kernel().threadSize).isEqualTo(4096);
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.IRQ);
    long ctx = word(m, m.inspector().perCpuAddress("hardirq_ctx", 0));
    assertThat(word(m, ctx)).as("irqctx->tinfo.task").isEqualTo(m.current());
    assertThat(eval(m, "current_thread_info()->task == current")).isEqualTo(1);
    assertThat(functions(m, null)).as("do_IRQ switches inline, __do_IRQ runs on the irq_ctx")
        .containsSubsequence("kstack_demo_interrupt", "handle_IRQ_event", "__do_IRQ", "do_IRQ",
            "common_interrupt");
  }

  @Test
  void scheduleFinishTaskSwitchAndScheduleTailCiteSchedC2611AndPickFromTheActiveArray() {
    Machine m = spawned(P);
    for (String fn : List.of("schedule", "finish_task_switch", "schedule_tail")) {
      assertThat(m.routineAt(m.symbol(fn)).source()).as(fn).startsWith("kernel/sched.c@2.6.11:");
    }
    String schedule = String.join("\n", m.routineAt(m.symbol("schedule")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    assertThat(schedule).contains("sched_find_first_bit(array->bitmap)", "finish_task_switch(prev)",
        "PF_DEAD").doesNotContain("finish_task_switch(this_rq(), prev)", "update_rq_clock");
  }

  @Test
  void anExitingTaskCarriesPfDeadAndOneArgumentFinishTaskSwitchDropsIt() {
    Machine m = spawned(P);
    m.syscall("fork", List.of());
    m.syscall("wait4", List.of(Machine.Arg.of(-1)));
    long child = m.current();
    long usage = m.kernel().tasks.taskRead(child, TaskMember.usage);
    m.addBreakpoint("finish_task_switch");
    assertThat(m.syscall("exit", List.of(Machine.Arg.of(7))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("eax")).as("prev, the one (regparm) argument").isEqualTo(child);
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.flags) & 0x8).as("PF_DEAD").isEqualTo(0x8);
    assertThat(m.kernel().tasks.state(child)).as("EXIT_DEAD, written by schedule()").isEqualTo(32);
    assertThat(m.kernel().tasks.stateIsDead(child)).isTrue();
    m.deleteBreakpoints();
    m.finish();
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.usage)).as("put_task_struct(prev)")
        .isEqualTo(usage - 1);
  }

  @Test
  void doForkAllocatesThePidFirstAndCopyThreadTakesALeadingNrOfZero() {
    Machine m = spawned(P);
    assertThat(m.routineAt(m.symbol("do_fork")).insn(m.routineAt(m.symbol("do_fork")).bodyStart())
        .text()).startsWith("pid = alloc_pidmap()");
    for (String fn : List.of("do_fork", "copy_process", "wake_up_new_task", "dup_task_struct")) {
      assertThat(m.routineAt(m.symbol(fn)).source()).as(fn).contains("@2.6.11:");
    }
    m.addBreakpoint("copy_thread");
    m.syscall("fork", List.of());
    assertThat(m.cpu(0).get("eax")).as("copy_thread(0, ...): nr").isZero();
    assertThat(m.cpu(0).get("edx")).as("clone_flags = SIGCHLD").isEqualTo(17);
  }

  @Test
  void theIdleLoopIsProcessC2611sWithNoTickNohz() {
    Machine m = spawned(P);
    for (String fn : List.of("cpu_idle", "default_idle")) {
      var r = m.routineAt(m.symbol(fn));
      assertThat(r.source()).as(fn).startsWith("arch/i386/kernel/process.c@2.6.11:");
      assertThat(String.join(" ", r.insns().stream().map(kstack.exec.Insn::text).toList()))
          .as(fn).doesNotContain("tick_nohz");
    }
    assertThat(m.routineAt(m.symbol("default_idle")).insns().get(m.routineAt(
        m.symbol("default_idle")).bodyStart()).text()).contains("hlt_counter");
  }

  private static long preemptCount(Machine m) {
    return word(m, m.kernel().stacks.stack(m.current()) + m.struct("thread_info").offset("preempt_count"));
  }

  @Test
  void anNmiRunsNmiThenDoNmiWhichRaisesPreemptCountAroundDefaultDoNmi() {
    Machine m = spawned(P);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    long before = preemptCount(m);
    m.addBreakpoint("unknown_nmi_error");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("unknown_nmi_error", "default_do_nmi",
        "do_nmi", "nmi", "vfs_write", "sys_write", "syscall_call", "main");
    assertThat(preemptCount(m)).as("nmi_enter: HARDIRQ_OFFSET").isEqualTo(before + (1 << 16));
    m.deleteBreakpoints();
    kstack.TestMachines.continueAll(m);
    assertThat(m.cpu(0).get("cs") & 3).as("the write finished").isEqualTo(3);
    assertThat(preemptCount(m)).as("nmi_exit").isEqualTo(before);
  }

  /** sh stopped at sysenter_entry's first instruction, still on the SYSENTER stack, in getpid. */
  private static void stopAtSysenterEntry(Machine m) {
    m.addBreakpoint("sysenter_entry");
    assertThat(m.sysenter("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.deleteBreakpoints();
  }

  @Test
  void anNmiAtSysenterEntrysFirstInstructionIsMovedToTheTaskStackByFixStack() {
    Machine m = spawned(P);
    long stack = m.kernel().stacks.stack(m.current());
    int pid = m.kernel().tasks.pid(m.current());
    stopAtSysenterEntry(m);
    m.addBreakpoint("do_nmi");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("esp")).as("do_nmi runs on the task stack").isBetween(stack, stack + 8192);
    assertThat(functions(m, null)).as("a forged NMI frame at sysenter_past_esp")
        .containsSubsequence("do_nmi", "nmi", "sysenter_past_esp");
    m.deleteBreakpoints();
    // the outcome, not eax: init, still finishing the fork that made sh (child-runs-first), runs
    // after the call, and sh's sched_yield while it waits leaves its own 0 in eax
    assertThat(m.continueRun().events()).extracting(kstack.trace.Event::describe)
        .as("the system call went on after the NMI")
        .anyMatch(d -> d.endsWith("pid " + pid + " returns to user from getpid = " + pid));
    assertThat(m.cpu(0).get("cs") & 3).isEqualTo(3);
  }

  @Test
  void anNmiAtDebugsFirstInstructionAfterADebugTrapAtSysenterEntryAbandonsTheDebugTrap() {
    Machine m = spawned(P);
    long stack = m.kernel().stacks.stack(m.current());
    int pid = m.kernel().tasks.pid(m.current());
    stopAtSysenterEntry(m);
    m.addBreakpoint("debug");
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long sysenterStack = m.cpu(0).get("esp");
    assertThat(sysenterStack >= stack && sysenterStack < stack + 8192)
        .as("the #DB frame is on the SYSENTER stack").isFalse();
    m.deleteBreakpoints();
    m.addBreakpoint("do_nmi");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).as("nmi_debug_stack_fixup: FIX_STACK(24)")
        .containsSubsequence("do_nmi", "nmi", "sysenter_past_esp").doesNotContain("debug");
    assertThat(m.cpu(0).get("esp")).isBetween(stack, stack + 8192);
    m.deleteBreakpoints();
    m.addBreakpoint("do_debug");
    Outcome o = m.continueRun();
    assertThat(o.stop()).as("do_debug never runs").isNotEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(o.events()).extracting(kstack.trace.Event::describe)
        .anyMatch(d -> d.endsWith("pid " + pid + " returns to user from getpid = " + pid));
    assertThat(m.cpu(0).get("cs") & 3).isEqualTo(3);
  }

  @Test
  void aDebugTrapTestsTheZeroThatVoidDoDebugLeftInEaxAndTakesRetFromException() {
    Machine m = spawned(P);
    m.addBreakpoint("ret_from_exception");
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("eax")).as("force_sig_info's 0, left by do_debug").isZero();
  }

  @Test
  void afterAnOverflowClobbersThreadInfoSyscallExitReadsItsGarbageFlagsThroughEbpAndOopsInDoSyscallTrace() {
    Machine m = spawned(P);
    long ti = m.kernel().stacks.stack(m.current());
    Outcome o = m.recurse(32);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.PANIC);
    long flags = word(m, ti + m.struct("thread_info").offset("flags"));
    assertThat(flags & 1).as("the overflow's bytes have TIF_SYSCALL_TRACE set").isOne();
    assertThat(o.events()).extracting(kstack.trace.Event::describe)
        .filteredOn(d -> d.contains("BUG: unable to handle kernel paging request")).singleElement()
        .asString().contains("at do_syscall_trace+", "current unreadable");
  }

  @Test
  void anExecveEnteredBySysenterSetsTifIretSoItLeavesByIretNotSysexit() {
    Machine m = spawned(P);
    long flagsAt = m.kernel().stacks.stack(m.current()) + m.struct("thread_info").offset("flags");
    m.addBreakpoint("do_notify_resume");
    assertThat(m.sysenter("execve", List.of(Machine.Arg.of("sh"))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(word(m, flagsAt) & 1 << 5).as("sys_execve set TIF_IRET").isNotZero();
    assertThat(functions(m, null)).containsSubsequence("do_notify_resume", "work_notifysig");
    m.deleteBreakpoints();
    Outcome o = m.continueRun();
    assertThat(word(m, flagsAt) & 1 << 5).as("do_notify_resume cleared it").isZero();
    assertThat(o.events()).extracting(kstack.trace.Event::describe)
        .noneMatch(d -> d.contains("SYSEXIT"));
    assertThat(m.cpu(0).get("cs") & 3).isEqualTo(3);
    assertThat(m.sysenter("getpid", List.of()).events()).extracting(kstack.trace.Event::describe)
        .as("without TIF_IRET SYSEXIT it is").anyMatch(d -> d.contains("SYSEXIT"));
  }

  @Test
  void sysPipeCallsDoPipeAndTheImageHasNoPipe2On2611() {
    Machine m = spawned(P);
    for (String sym : List.of("pipe2", "sys_pipe2", "do_pipe_flags")) {
      assertThat(m.symbols().get(sym)).as(sym).isNull();
    }
    assertThat(m.routineAt(m.symbol("sys_pipe")).source())
        .isEqualTo("arch/i386/kernel/sys_i386.c@2.6.11:30-40");
    assertThat(m.routineAt(m.symbol("do_pipe")).source()).isEqualTo("fs/pipe.c@2.6.11:713-792");
    m.addBreakpoint("do_pipe");
    m.syscall("pipe", List.of());
    assertThat(functions(m, null)).containsSubsequence("do_pipe", "sys_pipe", "syscall_call",
        "main");
  }

  @Test
  void aForkedChildRunsBeforeItsParentOn2611() {
    Machine m = spawned(P);
    int parent = m.kernel().tasks.pid(m.current());
    int before = m.timeline().events().size();
    m.syscall("fork", List.of());
    List<kstack.trace.Event> after = m.timeline().events().subList(before,
        m.timeline().events().size());
    List<String> returns = after.stream()
        .filter(e -> e instanceof kstack.trace.Event.SyscallExit x && x.name().equals("fork"))
        .map(e -> (kstack.trace.Event.SyscallExit) e).map(x -> x.pid() + "=" + x.result())
        .toList();
    assertThat(returns).as("the child's 0 before the parent's pid")
        .containsExactly((parent + 1) + "=0", parent + "=" + (parent + 1));
  }

  @Test
  void wakeUpNewTaskSetsTheParentsNeedReschedOnlyForAChildWithoutCloneVm() {
    Machine m = spawned(P);
    long parent = m.current();
    m.addBreakpoint("wake_up_new_task");
    m.syscall("fork", List.of());
    m.finish();
    assertThat(m.kernel().rq.needResched(parent)).as("set_need_resched() for fork").isTrue();
    long child = m.kernel().rq.runQueue(0).snapshot().get(0);
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.real_parent)).as("the child heads the queue")
        .isEqualTo(parent);
    assertThat(m.kernel().rq.runQueue(0).snapshot().get(1)).as("current right behind it")
        .isEqualTo(parent);
    assertThat(m.routineAt(m.symbol("wake_up_new_task")).source())
        .isEqualTo("kernel/sched.c@2.6.11:1205-1279");
  }

  @Test
  void aCloneVmChildStillRunsLastOn2611() {
    Machine m = spawned(P);
    long parent = m.current();
    m.addBreakpoint("wake_up_new_task");
    m.syscall("clone", List.of(Machine.Arg.of(0x100 | 17)));
    m.finish();
    assertThat(m.kernel().rq.needResched(parent)).as("no set_need_resched() for CLONE_VM").isFalse();
    List<Long> rq = m.kernel().rq.runQueue(0).snapshot();
    assertThat(rq).doesNotContain(parent);
    assertThat(m.kernel().tasks.taskRead(rq.get(rq.size() - 1), TaskMember.real_parent)).as("at the tail")
        .isEqualTo(parent);
  }

  @Test
  void wait4HandsDoWaitFiveValuesAndNoWaitOptsOn2611() {
    Machine m = spawned(P);
    assertThat(m.routineAt(m.symbol("sys_wait4")).source())
        .isEqualTo("kernel/exit.c@2.6.11:1497-1510");
    var doWait = m.routineAt(m.symbol("do_wait"));
    assertThat(doWait.source()).isEqualTo("kernel/exit.c@2.6.11:1314-1460");
    assertThat(doWait.insns().stream().map(kstack.exec.Insn::text).toList())
        .noneMatch(t -> t.contains("wait_opts") || t.contains("wo->"));
    assertThat(m.symbols().get("kernel_wait4")).isNull();
    int parent = m.kernel().tasks.pid(m.current());
    m.syscall("fork", List.of());
    m.syscall("wait4", List.of(Machine.Arg.of(-1)));
    m.syscall("exit", List.of(Machine.Arg.of(3)));
    m.run();
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(parent);
    assertThat(m.cpu(0).get("eax")).as("wait4 reaped the child").isEqualTo(parent + 1);
  }

  @Test
  void doExitStoresExitCodeJustBeforeExitNotifyOn2611() {
    Machine m = spawned(P);
    List<String> steps = m.routineAt(m.symbol("do_exit")).insns().stream()
        .map(kstack.exec.Insn::text).toList();
    int code = steps.indexOf("tsk->exit_code = code");
    assertThat(code).as("its own step, exit.c@2.6.11:830").isPositive();
    assertThat(steps.get(code + 1)).startsWith("exit_notify(");
    assertThat(steps.subList(0, code)).noneMatch(t -> t.contains("exit_code"));
  }

  @Test
  void sysReadAndSysWriteUseFgetLightAndALocalPosOn2611() {
    Machine m = spawned(P);
    for (String fn : List.of("sys_read", "sys_write", "vfs_read", "vfs_write")) {
      var r = m.routineAt(m.symbol(fn));
      assertThat(r.source()).as(fn).startsWith("fs/read_write.c@2.6.11:");
      String text = String.join(" ", r.insns().stream().map(kstack.exec.Insn::text).toList());
      assertThat(text).as(fn).doesNotContain("fdget_pos").doesNotContain("f.file");
      if (fn.startsWith("sys_")) {
        assertThat(text).as(fn).contains("fget_light").contains("file_pos_read");
      }
    }
  }

  @Test
  void with4kStacksDoSoftirqRunsDoSoftirqOnTheSoftirqCtxAndCitesIrqC2611() {
    Machine m = spawned(P.withConfig("4KSTACKS", true));
    assertThat(m.routineAt(m.symbol("do_softirq")).source())
        .isEqualTo("arch/i386/kernel/irq.c@2.6.11:155-187");
    long softCtx = word(m, m.inspector().perCpuAddress("softirq_ctx", 0));
    assertThat(word(m, softCtx + m.struct("thread_info").offset("preempt_count")))
        .as("irq_ctx_init: softirq tinfo.preempt_count = SOFTIRQ_OFFSET").isEqualTo(0x100);
    long task = m.current();
    m.addBreakpoint("kstack_demo_tasklet");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.cpu(0).get("esp") & -4096L).as("on the softirq irq_ctx").isEqualTo(softCtx);
    assertThat(word(m, softCtx)).as("irqctx->tinfo.task").isEqualTo(task);
    assertThat(functions(m, null)).containsSubsequence("kstack_demo_tasklet", "tasklet_action",
        "__do_softirq", "do_softirq", "irq_exit", "do_IRQ", "common_interrupt");
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("esp") & -4096L).as("movl %ebx, %esp: off the softirq irq_ctx")
        .isNotEqualTo(softCtx);
  }

  @Test
  void irqEnterIsAMacroInDoIrqAndIrqExitCallsTheGenericDoSoftirqOfSoftirqC2611() {
    Machine m = spawned(P);
    assertThat(m.symbols().get("irq_enter")).as("hardirq.h@2.6.11:98-102, a macro").isNull();
    assertThat(m.symbols().get("irq_ctx_init")).as("an empty macro without 4KSTACKS").isNull();
    for (String fn : List.of("irq_exit", "do_softirq", "__do_softirq", "tasklet_action")) {
      assertThat(m.routineAt(m.symbol(fn)).source()).as(fn).startsWith("kernel/softirq.c@2.6.11:");
    }
    String doIrq = String.join("\n", m.routineAt(m.symbol("do_IRQ")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    assertThat(doIrq).contains("add_preempt_count(HARDIRQ_OFFSET)");
    String doSoftirq = String.join("\n", m.routineAt(m.symbol("__do_softirq")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    assertThat(doSoftirq).contains("goto restart", "wakeup_softirqd").doesNotContain("handle_softirqs");
    long ti = m.kernel().stacks.stack(m.current());
    long before = word(m, ti + m.struct("thread_info").offset("preempt_count"));
    m.addBreakpoint("kstack_demo_tasklet");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("kstack_demo_tasklet", "tasklet_action",
        "__do_softirq", "do_softirq", "irq_exit", "do_IRQ", "common_interrupt");
    assertThat(word(m, ti + m.struct("thread_info").offset("preempt_count")))
        .as("local_bh_disable's SOFTIRQ_OFFSET, the hardirq count gone").isEqualTo(before + 0x100);
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(word(m, ti + m.struct("thread_info").offset("preempt_count"))).isEqualTo(before);
  }

  @Test
  void execveGoesThroughDoExecveAndFlushOldExecInTheWordsOfExecC2611() {
    Machine m = spawned(P);
    assertThat(m.routineAt(m.symbol("do_execve")).source()).isEqualTo("fs/exec.c@2.6.11:1122-1226");
    assertThat(m.routineAt(m.symbol("search_binary_handler")).source())
        .isEqualTo("fs/exec.c@2.6.11:1024-1115");
    assertThat(m.routineAt(m.symbol("load_elf_binary")).source())
        .isEqualTo("fs/binfmt_elf.c@2.6.11:504-983");
    String doExecve = String.join("\n", m.routineAt(m.symbol("do_execve")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    assertThat(doExecve).contains("mm_alloc()", "search_binary_handler(bprm, regs)");
    String elf = String.join("\n", m.routineAt(m.symbol("load_elf_binary")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    assertThat(elf).contains("flush_old_exec", "set_task_comm", "ELF_PLAT_INIT(regs, reloc_func_desc)")
        .doesNotContain("setup_new_exec");
    m.addBreakpoint("load_elf_binary");
    assertThat(m.syscall("execve", List.of(Machine.Arg.of("/bin/ls"))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("load_elf_binary", "search_binary_handler",
        "do_execve", "sys_execve", "syscall_call");
    m.deleteBreakpoints();
    m.run();
    assertThat(m.kernel().tasks.comm(m.current())).isEqualTo("ls");
  }

  @Test
  void startKernelCitesMainC2611AndRunsSchedInitBeforeTrapInitWithNoBootCpuInit() {
    Machine m = spawned(P);
    assertThat(m.routineAt(m.symbol("start_kernel")).source()).isEqualTo("init/main.c@2.6.11:416-515");
    String text = String.join("\n", m.routineAt(m.symbol("start_kernel")).insns().stream()
        .map(kstack.exec.Insn::text).toList());
    assertThat(text.indexOf("sched_init()")).isNotNegative().isLessThan(text.indexOf("trap_init()"));
    assertThat(text.indexOf("trap_init()")).isLessThan(text.indexOf("rcu_init()"));
    assertThat(text.indexOf("rcu_init()")).isLessThan(text.indexOf("init_IRQ()"));
    assertThat(text).doesNotContain("boot_cpu_init", "early_irq_init", "mm_init");
  }
}
