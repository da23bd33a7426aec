package kstack.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A whole scenario (boot, spawn, a syscall, an interrupt) emits only typed events: every event is
 * a data record of the sealed family whose line EventText renders, and the story line of each names
 * its CPU.
 */
class ScenarioEventsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyEventOfABootSpawnSyscallAndIrqIsATypedRecord(Profile p) {
    Machine m = TestMachines.spawned(p);
    m.syscall("getpid", List.of());
    m.irq(5);
    Set<Class<?>> permitted = Set.of(Event.class.getPermittedSubclasses());
    assertThat(m.timeline().events()).isNotEmpty().allSatisfy(e -> {
      assertThat(permitted).contains(e.getClass());
      assertThat(e.getClass().isRecord()).isTrue();
      assertThat(e.describe()).startsWith("[cpu" + e.cpu() + "] ");
    });
    assertThat(m.timeline().events()).extracting(e -> e.getClass().getSimpleName())
        .contains("TaskCreated", "SyscallEntry", "SyscallExit", "ContextSwitch");
  }
}
