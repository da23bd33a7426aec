package kstack.kernel;

import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** Which stack an interrupt handler runs on, per profile, read from the frames' addresses. */
class IrqTest {

  private static List<String> stacksOf(Machine m) {
    return m.inspector().backtrace(null).stream().filter(f -> !f.function().startsWith("---"))
        .map(f -> f.function() + "@" + f.stack()).toList();
  }

  @Test
  void on619AnInterruptFromUserModeRunsOnTheTaskStack() {
    Machine m = spawned(Profiles.x86_64_6_19());
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(3).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long task = m.current();
    long sp = m.cpu(0).get("rsp");
    assertThat(sp).isBetween(m.kernel().stacks.stack(task), m.inspector().taskPtRegs(task));
    assertThat(stacksOf(m)).contains("kstack_demo_interrupt@task", "common_interrupt@task",
        "asm_common_interrupt@task", "main@user");
    // sync_regs moved the frame to the top of the task stack: the user's rip and rsp are there
    long regs = m.inspector().taskPtRegs(task);
    assertThat(m.kernelMemory().read64(regs + m.struct("pt_regs").offset("cs"))).isEqualTo(0x33);
  }

  @Test
  void on619AnInterruptFromKernelModeMovesToTheIrqStack() {
    Machine m = spawned(Profiles.x86_64_6_19());
    m.addBreakpoint("do_syscall_64");
    m.syscall("getpid", List.of());
    m.deleteBreakpoints();
    m.addBreakpoint("kstack_demo_interrupt");
    assertThat(m.irq(3).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long ptr = m.kernelMemory().read64(m.inspector().perCpuAddress("hardirq_stack_ptr", 0));
    long sp = m.cpu(0).get("rsp");
    assertThat(sp).isBetween(ptr - 16384 + 8, ptr);
    assertThat(m.kernelMemory().read64(ptr)).as("the top word holds the task-stack rsp")
        .isBetween(m.kernel().stacks.stack(m.current()), m.inspector().taskPtRegs(m.current()));
    assertThat(stacksOf(m)).containsSubsequence("kstack_demo_interrupt@irq", "common_interrupt@irq",
        "asm_common_interrupt@task", "do_syscall_64@task", "main@user");
    m.deleteBreakpoints();
    kstack.TestMachines.continueAll(m);
    assertThat(m.kernelMemory().read(m.inspector().perCpuAddress("hardirq_stack_inuse", 0), 1)).isZero();
    assertThat(m.cpu(0).get("rax")).as("getpid still returns").isEqualTo(3);
  }

  @Test
  void on416EveryFirstLevelInterruptMovesToTheIrqStack() {
    Machine m = spawned(Profiles.x86_64_4_16());
    m.addBreakpoint("kstack_demo_interrupt");
    m.irq(3);
    long base = m.inspector().perCpuAddress("irq_stack_union", 0);
    long sp = m.cpu(0).get("rsp");
    assertThat(sp).isBetween(base, base + 16384);
    assertThat(m.kernelMemory().read64(base + 16384 - 8)).as("ENTER_IRQ_STACK's link word")
        .isEqualTo(m.inspector().taskPtRegs(m.current()));
    assertThat(m.kernelMemory().read(m.inspector().perCpuAddress("irq_count", 0), 4)).isZero();
    assertThat(stacksOf(m)).containsSubsequence("kstack_demo_interrupt@irq", "do_IRQ@irq",
        "common_interrupt@irq", "main@user");
    m.deleteBreakpoints();
    m.continueRun();
    assertThat(m.kernelMemory().read(m.inspector().perCpuAddress("irq_count", 0), 4)).isEqualTo(0xffffffffL);
  }

  @Test
  void aSleepersTimerExpiresThroughTheLocalTimerInterrupt() {
    Machine m = spawned(Profiles.x86_64_6_19());
    m.syscall("nanosleep", List.of(Machine.Arg.of(5000)));
    m.addBreakpoint("hrtimer_wakeup");
    assertThat(m.run().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.inspector().backtrace(0)).extracting(Frame::function).containsSubsequence("hrtimer_wakeup",
        "__run_hrtimer", "__hrtimer_run_queues", "hrtimer_interrupt", "local_apic_timer_interrupt",
        "__sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt",
        "asm_sysvec_apic_timer_interrupt", "default_idle");
  }

  @Test
  void aTickPreemptsAUserTaskWhenOthersWait() {
    Machine m = spawned(Profiles.x86_64_4_16());
    m.syscall("fork", List.of());
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(3);
    m.tick();
    assertThat(m.kernel().tasks.pid(m.current())).as("the child ran after the tick").isNotEqualTo(3);
  }

  @Test
  void anInterruptDuringSoftirqWorkNestsOnTheIrqStackItIsAlreadyOn() {
    for (var p : Profiles.of("x86_64")) {
      Machine m = spawned(p);
      m.addBreakpoint("vfs_write");
      m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
      m.deleteBreakpoints();
      m.addBreakpoint("tasklet_action");
      m.irq(3);
      m.deleteBreakpoints();
      // 2.6.32's flow handler calls handle_IRQ_event (kernel/irq/chip.c@2.6.32.67:614)
      String actions = p.version().equals("2.6.32") ? "handle_IRQ_event" : "handle_irq_event";
      m.addBreakpoint(actions);
      assertThat(m.irq(4).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
      List<Frame> bt = m.inspector().backtrace(null).stream().filter(f -> !f.function().startsWith("---"))
          .toList();
      assertThat(bt).extracting(f -> f.function() + "@" + f.stack()).as(p.label())
          .containsSubsequence(actions + "@irq", "tasklet_action@irq", "vfs_write@task");
      assertThat(bt).extracting(Frame::note).as(p.label()).allMatch(String::isEmpty);
    }
  }
}
