package kstack.arch.i386;

import kstack.kernel.TaskMember;
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

/** i386 at 2.6.32: thread_info at the stack base (docs/research/i386-and-2.x.md §3, §6, §8.2). */
class I386Linux26Test {
  private static final Profile P = Profiles.i386_2_6_32();

  @Test
  void threadInfoSitsAtTheStackBaseAndPointsBackAtItsTask() {
    Machine m = spawned(P);
    long task = m.current();
    long stack = m.kernel().stacks.stack(task);
    assertThat(word(m, stack)).as("thread_info->task").isEqualTo(task);
    assertThat(m.struct("thread_info").size()).isEqualTo(72);
    assertThat(word(m, stack + 72)).as("end_of_stack, right after thread_info")
        .isEqualTo(Kernel.STACK_END_MAGIC);
    assertThat(m.struct("task_struct").has("thread_info")).isFalse();
  }

  @Test
  void currentThreadInfoMasksTheStackPointerAndItsTaskIsCurrent() {
    Machine m = spawned(P);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    long esp = m.cpu(0).get("esp");
    assertThat(eval(m, "(unsigned long)current_thread_info()")).isEqualTo(esp & -8192L);
    assertThat(eval(m, "current_thread_info()->task == current")).isEqualTo(1);
    assertThat(word(m, m.inspector().perCpuAddress("current_task", 0))).as("current is per-CPU current_task")
        .isEqualTo(m.current());
  }

  @Test
  void ptRegsAre68BytesEightBelowTheTopAndSp0IsTheirEnd() {
    Machine m = spawned(P);
    long task = m.current();
    long top = m.kernel().stacks.stack(task) + 8192;
    assertThat(m.struct("pt_regs").size()).isEqualTo(68);
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(top - 76);
    assertThat(m.kernel().tasks.taskRead(task, TaskMember.thread_sp0)).isEqualTo(top - 8);
    long init = m.symbol("init_task");
    assertThat(m.kernel().tasks.taskRead(init, TaskMember.thread_sp0)).as("INIT_THREAD: no 8-byte gap")
        .isEqualTo(m.symbol("init_stack") + 8192);
  }

  @Test
  void aSystemCallGoesThroughSysCallTableWithPtRegsAsItsArguments() {
    Machine m = spawned(P);
    m.addBreakpoint("sys_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("xy")));
    long regs = m.inspector().taskPtRegs(m.current());
    long sp = m.cpu(0).get("esp");
    assertThat(sp).as("the return address sits right below pt_regs->bx").isEqualTo(regs - 4);
    assertThat(word(m, sp + 4)).as("fd = pt_regs->bx").isEqualTo(1);
    assertThat(functions(m, null)).containsSubsequence("sys_write", "syscall_call", "main");
  }

  @Test
  void forkReachesSysForkThroughThePtregsStubAndDoFork() {
    Machine m = spawned(P);
    m.addBreakpoint("copy_thread");
    m.syscall("fork", List.of());
    assertThat(functions(m, null)).containsSubsequence("copy_thread", "copy_process", "do_fork",
        "sys_fork", "syscall_call");
    m.deleteBreakpoints();
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void aNeverRunChildResumesInRetFromForkOnItsPtRegs() {
    Machine m = spawned(P);
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long child = m.inspector().findTaskByVpid(4);
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.thread_ip)).isEqualTo(m.symbol("ret_from_fork"));
    assertThat(m.kernel().tasks.threadSp(child)).isEqualTo(m.inspector().taskPtRegs(child));
    assertThat(word(m, m.inspector().taskPtRegs(child) + m.struct("pt_regs").offset("ax"))).isZero();
  }

  @Test
  void aSleepingTaskKeepsEbpAndEflagsAtThreadSpAndResumesInsideSchedule() {
    Machine m = spawned(P);
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    long t = m.inspector().findTaskByVpid(3);
    long ip = m.kernel().tasks.taskRead(t, TaskMember.thread_ip);
    assertThat(m.symbols().functionName(ip)).isEqualTo("schedule");
    long sp = m.kernel().tasks.threadSp(t);
    assertThat(word(m, sp + 4) & 0x2).as("saved eflags (bit 1 is always set)").isEqualTo(2);
    assertThat(functions(m, 3)).containsSubsequence("schedule", "do_nanosleep", "sys_nanosleep",
        "syscall_call", "main");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @Test
  void pid1ExecsFromANestedInt80WhosePtRegsLieInsideItsKernelStack() {
    Machine m = Machine.create(P, 1);
    Outcome o = m.boot();
    assertThat(o.events()).extracting(Event::describe)
        .anyMatch(s -> s.contains("enters execve (nr 11) from kernel mode"))
        .anyMatch(s -> s.contains("kernel_execve's int $0x80 built"));
  }

  @Test
  void kernelThreadsStartInKernelThreadHelperAfterAFakeZeroReturnAddress() {
    Machine m = Machine.create(P, 1);
    m.boot();
    assertThat(functions(m, 2)).containsSubsequence("schedule", "kthreadd", "kernel_thread_helper");
    long top = m.kernel().stacks.stack(m.inspector().findTaskByVpid(2)) + 8192;
    assertThat(word(m, top - 20)).as("pushl $0 at top - 20").isZero();
    assertThat(word(m, top - 28)).as("the return address of call *%ebx")
        .isEqualTo(m.symbol("kernel_thread_helper") + 0xc);
  }

  @Test
  void aDeepRecursionOverwritesThreadInfoAndBtVReportsIt() {
    Machine m = spawned(P);
    long task = m.current();
    // 2.6.32 loads through sys_init_module: one frame fewer than a do_init_module chain
    assertThat(m.recurse(32).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(word(m, m.kernel().stacks.stack(task))).as("thread_info->task").isNotEqualTo(task);
    var r = new kstack.lang.Session(m).execute(kstack.lang.Source.commandLine(1, "bt -v"));
    assertThat(String.join("\n", r.text())).contains("thread_info overwritten")
        .contains("STACK_END_MAGIC overwritten");
    assertThat(m.current()).as("current still comes from the per-CPU variable").isEqualTo(task);
  }

  @Test
  void without4kStacksAnInterruptRunsOnTheTaskStack() {
    Machine m = spawned(P);
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null)).allMatch(f -> f.stack() == StackKind.TASK || f.stack() == StackKind.USER);
  }

  @Test
  void with4kStacksEvenAUserModeInterruptMovesToTheHardirqContext() {
    Machine m = spawned(P.withConfig("4KSTACKS", true));
    assertThat(m.kernel().threadSize).isEqualTo(4096);
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.IRQ);
    long ctx = word(m, m.inspector().perCpuAddress("hardirq_ctx", 0));
    assertThat(word(m, ctx)).as("irqctx->tinfo.task = the interrupted task").isEqualTo(m.current());
    assertThat(eval(m, "current_thread_info()->task == current")).isEqualTo(1);
    assertThat(eval(m, "(unsigned long)current_thread_info()")).isEqualTo(ctx);
    m.deleteBreakpoints();
    m.addBreakpoint("kstack_demo_tasklet");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.SOFTIRQ);
  }

  @Test
  void aKernelModeInterruptNamesTheInterruptedFunctionFromItsPtRegs() {
    Machine m = spawned(P);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(functions(m, null)).containsSubsequence("do_IRQ", "common_interrupt",
        "--- pt_regs ---", "vfs_write", "sys_write", "syscall_call");
  }
}
