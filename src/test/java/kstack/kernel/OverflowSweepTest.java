package kstack.kernel;

import static kstack.TestMachines.spawned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import kstack.trace.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After an overflow of any depth, on every profile and config, the machine does what the kernel
 * would (an oops, a panic, a silently corrupted machine) and every later command works on what is
 * left or refuses with the reason. The wide sweep is OverflowSweep's main.
 */
class OverflowSweepTest {
  static List<Object[]> cases() {
    List<Object[]> out = new ArrayList<>();
    for (Profile p : OverflowSweep.variants()) {
      for (int d : OverflowSweep.boundaryDepths(p)) {
        out.add(new Object[] {OverflowSweep.name(p), p, d});
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} recurse {2}")
  @MethodSource("cases")
  void everyLaterCommandEndsInAResultOrOneMessageAboutWhatTheKernelDid(String name, Profile p,
      int depth) {
    assertThat(OverflowSweep.sweep(p, depth, OverflowSweep.LATER)).isEmpty();
  }

  static List<Object[]> twoCpuCases() {
    List<Object[]> out = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      List<Integer> depths = OverflowSweep.boundaryDepths(p);
      for (int d : depths.subList(2, depths.size())) {
        out.add(new Object[] {p, d});
      }
    }
    return out;
  }

  /**
   * With a second CPU halted in its idle loop, an overflow that overwrites that CPU's idle task
   * leaves it asleep (hlt reads nothing) instead of failing the machine's own scheduling check.
   */
  @ParameterizedTest(name = "{0} recurse {1}")
  @MethodSource("twoCpuCases")
  void onTwoCpusEveryLaterCommandEndsInAResultOrOneMessageAboutWhatTheKernelDid(Profile p,
      int depth) {
    assertThat(OverflowSweep.sweep(p, 2, depth, OverflowSweep.LATER)).isEmpty();
  }

  private static List<String> run(Machine m, String command) {
    return new Session(m).execute(Source.commandLine(1, command)).text();
  }

  @Test
  void x86_64WithoutVmapStackOopsWhereTheModelHoldsNoMemoryAndSaysARealKernelWouldNot() {
    Machine m = spawned(Profiles.x86_64_4_16().withConfig("VMAP_STACK", false));
    Outcome o = m.recurse(1000);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.PANIC);
    assertThat(o.events()).extracting(Event::describe).anyMatch(s -> s.contains(
        "BUG: unable to handle") && s.contains("at kstack_demo_recurse"));
    assertThatThrownBy(() -> run(m, "spawn x")).hasMessageContaining("the kernel has panicked");
    assertThat(run(m, "ps")).last().asString().startsWith("the task list is corrupt");
  }

  @Test
  void arm64WithoutVmapStackOopsThroughDoMemAbortInsteadOfAMissingEl1Sync() {
    Machine m = spawned(Profiles.arm64_4_16().withConfig("VMAP_STACK", false));
    Outcome o = m.recurse(1000);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.PANIC);
    assertThat(o.events()).extracting(Event::describe).anyMatch(s -> s.contains(
        "Unable to handle kernel paging request at virtual address") && s.contains(
        "a real arm64 maps all of RAM"));
  }

  @Test
  void i386RecursionOverItsOwnTaskStructReturnsAndBtSaysTheTaskStructIsOverwritten() {
    Machine m = spawned(Profiles.i386_4_16());
    Outcome o = m.recurse(63);
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(o.events()).extracting(Event::describe).anyMatch(s -> s.contains(
        "the return to user mode goes on although current's task_struct"));
    assertThat(run(m, "bt").get(0)).contains("is overwritten (its pid field reads ");
    assertThat(run(m, "bt -v")).anyMatch(s -> s.startsWith("The current task of cpu 0: its "
        + "task_struct"));
  }

  @Test
  void i386TrapOntoAStackPointerLoadedFromAnOverwrittenTaskDoubleFaults() {
    Machine m = spawned(Profiles.i386_2_6_32());
    assertThat(m.recurse(63).stop()).isEqualTo(Outcome.Stop.DONE);
    // the new process runs first (sh yielded for init and waits behind it); when x yields, sh
    // runs again and traps onto the stack pointer its overwritten task_struct gave
    assertThat(m.spawn("x").stop()).isEqualTo(Outcome.Stop.DONE);
    Outcome o = m.syscall("sched_yield", List.of());
    assertThat(o.stop()).isEqualTo(Outcome.Stop.PANIC);
    assertThat(o.message()).startsWith("PANIC: double fault");
    assertThatThrownBy(() -> run(m, "tick")).hasMessageContaining("the kernel has panicked");
  }
}
