package kstack.arch;

import kstack.stack.WordKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.TestMachines;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.stack.StackWord;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What `stack` says about words whose meaning depends on what has run so far. */
class StackLabelsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  static List<Profile> withMagic() {
    return Profiles.all().stream()
        .filter(p -> Machine.create(p, 1).kernel().stacks.hasStackEndMagic()).toList();
  }

  /**
   * At start_kernel's first step set_task_stack_end_magic(&init_task) has not run: the word is
   * not a magic yet, and nothing has overflowed.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("withMagic")
  void initTasksStackEndMagicIsNotSetYetAtStartKernel(Profile p) {
    Machine m = Machine.create(p, 1);
    m.addBreakpoint("start_kernel");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    StackWord magic = m.inspector().stack(0).stream().filter(w -> w.kind() == WordKind.MAGIC).findFirst()
        .orElseThrow();
    // 2.6.32's start_kernel never writes it: only dup_task_struct does (fork.c@2.6.32.67:254)
    boolean sets = m.kernel().stacks.initSetsStackEndMagic();
    assertThat(magic.label()).contains(sets ? "not written yet" : "never written")
        .doesNotContain("overwritten");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
    magic = m.inspector().stack(0).stream().filter(w -> w.kind() == WordKind.MAGIC).findFirst().orElseThrow();
    assertThat(magic.label()).isEqualTo(sets ? "STACK_END_MAGIC (end_of_stack)"
        : "end_of_stack: STACK_END_MAGIC never written for init_task in this generation (only "
            + "dup_task_struct writes it)");
    assertThat(m.inspector().stack(1).stream().filter(w -> w.kind() == WordKind.MAGIC).findFirst()
        .orElseThrow().label()).as("a forked task's").isEqualTo("STACK_END_MAGIC (end_of_stack)");
  }

  /** A task in user mode: its kernel stack is empty, the pt_regs words are the last entry's. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void aUserModeTasksPtRegsAreStaleFromTheLastKernelEntry(Profile p) {
    Machine m = TestMachines.spawned(p);
    long sh = m.current(); // in user mode, waiting for a command
    List<StackWord> words = m.inspector().stack(m.kernel().tasks.pid(sh));
    long regs = m.inspector().taskPtRegs(sh);
    assertThat(words).filteredOn(w -> w.address() >= regs).isNotEmpty()
        .allSatisfy(w -> assertThat(w.kind()).isIn(WordKind.STALE, WordKind.PADDING))
        .anySatisfy(w -> assertThat(w.label()).startsWith("stale, from the last kernel entry: "
            + "pt_regs->"));
    assertThat(words).extracting(StackWord::kind).doesNotContain(WordKind.PT_REGS);
  }
}
