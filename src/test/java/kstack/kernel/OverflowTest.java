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
import kstack.trace.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kernel stack overflow: a guard page and a double fault, or silent corruption without one. */
class OverflowTest {
  static java.util.List<Profile> profiles() {
    return kstack.TestMachines.x86_64ThreadInfoInTask();
  }


  @ParameterizedTest
  @MethodSource("profiles")
  void aShallowRecursionReturnsAndLeavesAHighWaterMark(Profile p) {
    Machine m = spawned(p);
    long before = m.kernel().stacks.stackNotUsed(m.current());
    assertThat(m.recurse(20).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.kernel().stacks.stackNotUsed(m.current())).isLessThan(before - 20 * 256);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aDeepRecursionHitsTheGuardPageAndDoubleFaultsOnTheIstStack(Profile p) {
    Machine m = spawned(p);
    long stack = m.kernel().stacks.stack(m.current());
    Outcome o = m.recurse(100);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.PANIC);
    assertThat(o.events()).extracting(Event::describe)
        .anyMatch(s -> s.contains("stack guard page was hit at 0x")
            && s.contains(String.format("stack is 0x%x..", stack)))
        .anyMatch(s -> s.contains("kernel stack overflow (double-fault) in pid 3 (sh)"));
    long cr2 = m.cpu(0).get("cr2");
    assertThat(stack - cr2).isBetween(1L, 4096L);
    var bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.EXCEPTION);
    assertThat(bt).extracting(Frame::function).contains("handle_stack_overflow",
        "kstack_demo_recurse", "kstack_demo_init");
    long df = m.kernelMemory().read64(m.inspector().perCpuAddress("cpu_tss_rw", 0)
        + m.struct("tss_struct").offsetOfPath("x86_tss.ist"));
    assertThat(m.cpu(0).get("rsp")).isBetween(df - 8192, df);
  }

  @Test
  void withoutGuardPagesTheOverflowSilentlyBreaksTheEndOfStackMagic() {
    Machine m = spawned(Profiles.x86_64_6_19().withConfig("VMAP_STACK", false));
    assertThat(m.recurse(61).stop()).isEqualTo(Outcome.Stop.DONE);
    long stack = m.kernel().stacks.stack(m.current());
    assertThat(m.kernelMemory().read64(stack)).isNotEqualTo(Kernel.STACK_END_MAGIC);
    assertThat(m.kernel().stacks.stackNotUsed(m.current())).isZero();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void anNmiInKernelModeRunsOnTheNmiIstStack(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    m.deleteBreakpoints();
    m.addBreakpoint("default_do_nmi");
    assertThat(m.nmi().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long nmiTop = m.kernelMemory().read64(m.inspector().perCpuAddress("cpu_tss_rw", 0)
        + m.struct("tss_struct").offsetOfPath("x86_tss.ist") + 8);
    assertThat(m.cpu(0).get("rsp")).isBetween(nmiTop - 4096, nmiTop);
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.EXCEPTION);
    m.deleteBreakpoints();
    assertThat(m.continueRun().message()).as("the nmi nests in the stopped write")
        .contains("'syscall write' is still stopped there");
    assertThat(kstack.TestMachines.continueAll(m).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("cs") & 3).as("the write finished, back in user mode").isEqualTo(3);
  }

  private static List<String> run(Machine m, String command) {
    return new kstack.lang.Session(m).execute(kstack.lang.Source.commandLine(1, command)).text();
  }

  static List<Profile> i386WithoutGuardPages() {
    return List.of(Profiles.i386_2_4(), Profiles.i386_2_6_11(), Profiles.i386_2_6_32());
  }

  @ParameterizedTest
  @MethodSource("i386WithoutGuardPages")
  void aRecursionThatRunsPastTheStackOopsAndTheChecksStillReportWhatTheyCanRead(Profile p) {
    Machine m = spawned(p);
    assertThat(m.recurse(200).stop()).isEqualTo(Outcome.Stop.PANIC);
    List<String> check = run(m, "bt -v");
    assertThat(check).anyMatch(s -> s.contains("possible stack overflow"))
        .anyMatch(s -> s.startsWith("the task list is corrupt after pid ")
            && s.endsWith("the tasks after it are not checked."));
    assertThat(run(m, "ps")).last().asString().startsWith("the task list is corrupt after pid ");
  }

  @Test
  void aSleepAfterAnOverflowOverwroteThreadInfoSaysTheCpuFieldIsCorrupt() {
    Machine m = spawned(Profiles.x86_64_2_6_32());
    assertThat(m.recurse(40).stop()).as("silent: no guard page on 2.6.32").isEqualTo(Outcome.Stop.DONE);
    assertThatThrownBy(() -> run(m, "syscall nanosleep(1000000)")).hasMessageEndingWith(
        "its thread_info is corrupt (a stack overflow overwrote it?)").hasMessageContaining(
        "pid 3's cpu field reads ");
  }

  @Test
  void aCommandThatReadsOverwrittenMemoryAfterThePanicSaysSo() {
    Machine m = spawned(Profiles.i386_2_6_32());
    m.recurse(200);
    assertThatThrownBy(() -> run(m, "stack")).hasMessageContaining("the current task's task_struct "
        + "0x").hasMessageContaining("is overwritten (its pid field reads ").hasMessageContaining(
        "the stack it points to cannot be found");
  }

  @Test
  void btOfATaskWhoseCurrentPointerWasOverwrittenStopsAtTheUnreadableAddress() {
    Machine m = spawned(Profiles.i386_2_6_11());
    m.recurse(200);
    List<String> bt = run(m, "bt");
    assertThat(bt.get(0)).startsWith("Backtrace of the current task of cpu 0: its task_struct pointer 0x")
        .endsWith("is unreadable (overwritten?)");
    assertThat(bt).last().asString().startsWith("Backtrace stopped: cannot access memory at address 0x");
  }

  @Test
  void onI386AFaultInLowmemThatTheModelDoesNotHoldSaysARealKernelWouldNotFaultThere() {
    Machine m = spawned(Profiles.i386_2_4());
    Outcome o = m.recurse(200);
    assertThat(o.events()).extracting(Event::describe).anyMatch(s -> s.contains(
        "unable to handle kernel paging request at cfff") && s.contains("esp 0xcfff")
        && s.contains("has left every stack") && s.contains("a real i386 maps all of lowmem"));
  }
}
