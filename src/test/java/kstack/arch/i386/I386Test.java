package kstack.arch.i386;

import kstack.kernel.TaskMember;
import kstack.stack.StackKind;
import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.kernel.Kernel;
import kstack.lang.expr.Expressions;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.catalog.Profiles;
import kstack.trace.Event;
import org.junit.jupiter.api.Test;

/** What is particular to i386 at 4.16 (docs/research/i386-and-2.x.md §4, linux-facts §2.2, §2.4). */
class I386Test {
  private static long word(Machine m, long addr) {
    return m.kernel().readPtr(addr);
  }

  private static List<String> functions(Machine m) {
    return m.inspector().backtrace(null).stream().map(Frame::function).toList();
  }

  private static Machine inWrite() {
    Machine m = spawned(Profiles.i386_4_16());
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    return m;
  }

  @Test
  void ptRegsIs68BytesBelowAnEightBytePadding() {
    Machine m = spawned(Profiles.i386_4_16());
    long task = m.current();
    long top = m.kernel().stacks.stack(task) + 8192;
    assertThat(m.struct("pt_regs").size()).isEqualTo(68);
    assertThat(Expressions.eval("TOP_OF_KERNEL_STACK_PADDING", m).asLong()).isEqualTo(8L);
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(top - 76);
    assertThat(m.kernel().tasks.taskRead(task, TaskMember.thread_sp0)).as("thread.sp0 = childregs + 1")
        .isEqualTo(top - 8);
  }

  @Test
  void vm86WidensThePaddingTo16Bytes() {
    Machine m = spawned(Profiles.i386_4_16().withConfig("VM86", true));
    long task = m.current();
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(m.kernel().stacks.stack(task) + 8192 - 84);
  }

  @Test
  void int80FromUserModePushesSsAndEspOntoTheTaskStackTop() {
    Machine m = inWrite();
    long task = m.current();
    long regs = m.inspector().taskPtRegs(task);
    assertThat(functions(m)).containsSubsequence("vfs_write", "SyS_write",
        "do_int80_syscall_32", "entry_INT80_32", "main");
    assertThat(word(m, regs + m.struct("pt_regs").offset("ss"))).isEqualTo(I386.USER_DS);
    assertThat(word(m, regs + m.struct("pt_regs").offset("cs"))).isEqualTo(I386.USER_CS);
    assertThat(word(m, regs + m.struct("pt_regs").offset("orig_ax"))).isEqualTo(4);
    long tss = m.inspector().perCpuAddress("cpu_tss_rw", 0) + m.struct("tss_struct").offsetOfPath("x86_tss.sp0");
    assertThat(word(m, tss)).as("TSS.sp0 = the top of current's stack, less the padding")
        .isEqualTo(regs + 68);
  }

  @Test
  void theSyscallFunctionReadsItsArgumentsFromTheStack() {
    Machine m = spawned(Profiles.i386_4_16());
    m.addBreakpoint("SyS_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("xy")));
    long sp = m.cpu(0).get("esp");
    assertThat(word(m, sp)).as("return address").isEqualTo(m.symbol("do_int80_syscall_32") + 0x18);
    assertThat(word(m, sp + 4)).as("fd").isEqualTo(1);
    assertThat(word(m, sp + 12)).as("count").isEqualTo(2);
  }

  @Test
  void aKernelModeInterruptPushesNoSsOrEspAndMovesToTheHardirqStack() {
    Machine m = inWrite();
    long sp = m.cpu(0).get("esp");
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.IRQ);
    assertThat(bt).extracting(Frame::function).containsSubsequence("kstack_demo_interrupt",
        "handle_irq", "do_IRQ", "common_interrupt", "--- pt_regs ---", "vfs_write", "SyS_write");
    Frame regsFrame = bt.stream().filter(f -> f.function().equals("--- pt_regs ---")).findFirst()
        .orElseThrow();
    long regs = regsFrame.frameAddr();
    assertThat(regs + m.struct("pt_regs").offset("sp")).as("three words: eip, cs, eflags")
        .isEqualTo(sp);
    long hard = word(m, m.inspector().perCpuAddress("hardirq_stack", 0));
    assertThat(word(m, hard)).as("the irq stack's lowest word links back").isBetween(regs - 64, regs);
  }

  @Test
  void aUserModeInterruptStaysOnTheTaskStackAndSoftirqsMoveToTheirOwn() {
    Machine m = spawned(Profiles.i386_4_16());
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(1).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null)).allMatch(f -> f.stack() != StackKind.IRQ);
    m.deleteBreakpoints();
    m.addBreakpoint("kstack_demo_tasklet");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.SOFTIRQ);
    assertThat(bt).extracting(Frame::function).containsSubsequence("__do_softirq",
        "do_softirq_own_stack", "irq_exit", "do_IRQ");
  }

  @Test
  void anNmiRunsOnTheInterruptedStack() {
    Machine m = inWrite();
    m.deleteBreakpoints();
    m.addBreakpoint("default_do_nmi");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(null)).allMatch(f -> f.stack() != StackKind.IRQ);
    assertThat(functions(m)).containsSubsequence("default_do_nmi", "do_nmi", "nmi",
        "--- pt_regs ---", "vfs_write");
  }

  @Test
  void aKernelThreadsFirstFrameEndsTwoWordsBelowItsPtRegs() {
    Machine m = Machine.create(Profiles.i386_4_16(), 1);
    m.boot();
    long kthreadd = m.inspector().findTaskByVpid(2);
    long regs = m.inspector().taskPtRegs(kthreadd);
    assertThat(word(m, regs - 4)).isEqualTo(m.symbol("ret_from_fork") + 0x1c);
    assertThat(word(m, regs - 8)).as("frame->bp = 0").isZero();
    assertThat(m.inspector().backtrace(2)).extracting(Frame::function).endsWith("kthreadd", "ret_from_fork");
  }

  @Test
  void withoutGuardPagesADeepRecursionSilentlyOverwritesStackEndMagic() {
    Machine m = spawned(Profiles.i386_4_16());
    assertThat(m.recurse(40).stop()).isEqualTo(Outcome.Stop.DONE);
    long stack = m.kernel().stacks.stack(m.current());
    assertThat(word(m, stack)).isNotEqualTo(Kernel.STACK_END_MAGIC);
    assertThat(m.kernel().panicked()).isNull();
  }

  @Test
  void userFunctionsTakeEveryArgumentOnTheStack() {
    Machine m = spawned(Profiles.i386_4_16());
    m.addBreakpoint("sum8");
    assertThat(m.call("call8", List.of(1L)).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long sp = m.cpu(0).get("esp");
    var um = m.kernel().mm.userSpace(m.kernel().tasks.taskRead(m.current(), TaskMember.mm));
    for (int i = 0; i < 8; i++) {
      assertThat(um.read(sp + 4 + 4L * i, 4)).as("argument %d", i).isEqualTo(1 + i);
    }
    m.deleteBreakpoints();
    assertThat(m.run().message()).contains("returned 36");
  }

  @Test
  void theBootStackStartsBelowAnEmptyPtRegsGap() {
    Machine m = Machine.create(Profiles.i386_4_16(), 1);
    m.addBreakpoint("i386_start_kernel");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long initStack = m.symbol("init_stack");
    assertThat(m.cpu(0).get("esp")).isEqualTo(initStack + 8192 - 68 - 8 - 4);
  }

  @Test
  void theEventsNameTheHardirqStackSwitch() {
    Machine m = inWrite();
    m.deleteBreakpoints();
    Outcome o = m.irq(1);
    assertThat(o.events()).extracting(Event::describe)
        .anyMatch(s -> s.contains("onto the hardirq stack"));
  }

  @Test
  void anApStartsOnItsIdleTasksPtRegsAddressAndItsTopOfStackSkipsThePadding() {
    for (var p : List.of(Profiles.i386_4_16(), Profiles.i386_6_19())) {
      Machine m = Machine.create(p, 2);
      m.addBreakpoint("start_secondary");
      assertThat(m.boot().stop()).as(p.toString()).isEqualTo(Outcome.Stop.BREAKPOINT);
      m.selectCpu(1);
      long idle = m.current();
      long top = m.kernel().stacks.stack(idle) + 8192;
      assertThat(m.cpu(1).get("esp")).as("initial_stack = task_pt_regs(idle), less the call")
          .isEqualTo(top - 8 - 68 - 4);
      assertThat(word(m, m.inspector().perCpuAddress("cpu_current_top_of_stack", 1)))
          .as("task_top_of_stack(idle)").isEqualTo(top - 8);
    }
  }
}
