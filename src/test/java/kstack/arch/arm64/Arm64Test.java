package kstack.arch.arm64;

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
import kstack.trace.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What is particular to arm64 (research docs/research/arm64.md), per generation. */
class Arm64Test {
  static List<Profile> profiles() {
    return Profiles.of("arm64");
  }


  private static List<String> functions(Machine m) {
    return m.inspector().backtrace(null).stream().map(Frame::function).toList();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void ptRegsIs320BytesAndEndsTheStack(Profile p) {
    Machine m = spawned(p);
    assertThat(m.struct("pt_regs").size()).isEqualTo(320);
    long task = m.current();
    assertThat(m.inspector().taskPtRegs(task)).isEqualTo(m.kernel().stacks.stack(task) + m.kernel().threadSize - 320);
  }

  @Test
  void aSyscallOn416EntersThroughEl0SvcNakedAndTheSysTable() {
    Machine m = spawned(Profiles.arm64_4_16());
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    assertThat(functions(m)).containsSubsequence("vfs_write", "SyS_write", "el0_svc_naked",
        "main");
  }

  @Test
  void aSyscallOn619GoesThroughTheCEntryAndThePtRegsWrapper() {
    Machine m = spawned(Profiles.arm64_6_19());
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    assertThat(functions(m)).containsSubsequence("vfs_write", "__arm64_sys_write",
        "invoke_syscall", "el0_svc_common", "do_el0_svc", "el0_svc", "el0t_64_sync_handler",
        "el0t_64_sync", "main");
  }

  @Test
  void on619TheUserTasksFinalFrameRecordIsTypedFinalInPtRegs() {
    Machine m = spawned(Profiles.arm64_6_19());
    long meta = m.inspector().taskPtRegs(m.current()) + m.struct("pt_regs").offset("stackframe");
    assertThat(m.kernelMemory().read64(meta)).isZero();
    assertThat(m.kernelMemory().read64(meta + 8)).isZero();
    assertThat(m.kernelMemory().read64(meta + 16)).as("FRAME_META_TYPE_FINAL").isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aDeviceInterruptRunsItsHandlerOnThePerCpuIrqStack(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("handle_irq_event");
    assertThat(m.irq(5).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long irqStack = m.kernelMemory().read64(m.inspector().perCpuAddress("irq_stack_ptr", 0));
    long sp = m.cpu(0).get("sp");
    assertThat(sp).isBetween(irqStack, irqStack + m.kernel().threadSize);
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.IRQ);
  }

  @Test
  void on416SoftirqsRunNestedUnderTheHardirqOnTheIrqStack() {
    Machine m = spawned(Profiles.arm64_4_16());
    m.addBreakpoint("tasklet_action");
    m.irq(5);
    assertThat(functions(m)).containsSubsequence("tasklet_action", "__do_softirq", "irq_exit",
        "__handle_domain_irq", "gic_handle_irq", "el0_irq_naked");
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.IRQ);
  }

  @Test
  void on619SoftirqsReturnToTheIrqStackThroughDoSoftirqOwnStack() {
    Machine m = spawned(Profiles.arm64_6_19());
    m.addBreakpoint("tasklet_action");
    m.irq(5);
    assertThat(functions(m)).containsSubsequence("tasklet_action", "__do_softirq",
        "____do_softirq", "call_on_irq_stack", "do_softirq_own_stack", "irq_exit_rcu",
        "el0_interrupt");
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.IRQ);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void finishReturnsThroughTheLinkRegisterAndTheFrameRecord(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("alloc_thread_stack_node");
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    Outcome o = m.finish();
    assertThat(o.message()).startsWith("Run till exit from alloc_thread_stack_node: back in "
        + "dup_task_struct+");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anOverflowIsCaughtByKernelVentryOnTheOverflowStack(Profile p) {
    Machine m = spawned(p);
    Outcome o = m.recurse(100);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.PANIC);
    assertThat(o.events()).extracting(Event::describe)
        .anyMatch(s -> s.contains("kernel_ventry") && s.contains("onto the overflow stack"))
        .anyMatch(s -> s.contains("Insufficient stack space to handle exception!"));
    assertThat(functions(m)).containsSubsequence("handle_bad_stack", "__bad_stack",
        "kstack_demo_recurse");
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.OVERFLOW);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anNmiIsRefusedWithTheReasonBecausePseudoNmiIsNotModelled(Profile p) {
    Machine m = spawned(p);
    assertThatThrownBy(m::nmi).hasMessageContaining("arm64");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void copyThreadPointsTheChildsCpuContextAtRetFromForkAndItsPtRegs(Profile p) {
    Machine m = spawned(p);
    m.syscall("clone", List.of(Machine.Arg.of(17)));
    long child = m.inspector().findTaskByVpid(4);
    long ctx = child + m.kernel().image.struct("task_struct")
        .offsetOfPath("thread.cpu_context");
    long regs = m.inspector().taskPtRegs(child);
    var c = m.struct("cpu_context");
    assertThat(m.kernelMemory().read64(ctx + c.offset("pc"))).isEqualTo(m.symbol("ret_from_fork"));
    assertThat(m.kernelMemory().read64(ctx + c.offset("sp"))).isEqualTo(regs);
    long fp = m.kernelMemory().read64(ctx + c.offset("fp"));
    if (p.version().equals("4.16.13")) {
      assertThat(fp).as("4.16: memset leaves fp 0").isZero();
    } else {
      assertThat(fp).as("6.19: fp = &childregs->stackframe")
          .isEqualTo(regs + m.struct("pt_regs").offset("stackframe"));
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void spEl0HoldsCurrentInTheKernelAndTheUserSpInUserMode(Profile p) {
    Machine m = spawned(p);
    long task = m.current();
    long userSp = m.cpu(0).get("sp");
    assertThat(m.cpu(0).get("sp_el0")).isEqualTo(userSp);
    m.addBreakpoint("handle_irq_event");
    m.irq(5);
    assertThat(m.cpu(0).get("sp_el0")).as("in an IRQ handler").isEqualTo(task);
    m.deleteBreakpoints();
    m.continueRun();
    assertThat(m.cpu(0).get("sp_el0")).as("back in user mode").isEqualTo(userSp);
  }

  @Test
  void arm64At619CannotTurnVmapStackOffBecauseTheArchitectureSelectsIt() {
    assertThatThrownBy(() -> Profiles.arm64_6_19().withConfig("VMAP_STACK", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CONFIG_VMAP_STACK cannot be disabled on this profile: ARM64 selects "
            + "VMAP_STACK (arch/arm64/Kconfig@6.19:286)");
  }

  @Test
  void arm64At416WithoutVmapStackUsesTheStaticIrqStackAndADeepRecursionSilentlyBreaksTheMagic() {
    Machine m = spawned(Profiles.arm64_4_16().withConfig("VMAP_STACK", false));
    long irqStack = m.inspector().perCpuAddress("irq_stack", 0);
    assertThat(m.kernelMemory().read64(m.inspector().perCpuAddress("irq_stack_ptr", 0))).isEqualTo(irqStack);
    assertThat(m.irq(5).events()).extracting(Event::describe)
        .anyMatch(s -> s.equals(String.format("[cpu0] irq_stack_entry: onto the IRQ stack: sp = 0x%x",
            irqStack + 16384)));
    assertThat(m.recurse(70).stop()).as("no kernel_ventry check, no overflow stack")
        .isEqualTo(Outcome.Stop.DONE);
    long stack = m.kernel().stacks.stack(m.current());
    assertThat(m.kernelMemory().read64(stack)).isNotEqualTo(kstack.kernel.Kernel.STACK_END_MAGIC);
  }
}
