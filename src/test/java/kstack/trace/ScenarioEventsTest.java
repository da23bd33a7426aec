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

  /**
   * An interrupt taken in a system call moves onto the CPU's IRQ stack where the generation has
   * one (x86_64, arm64, i386 from 4.16; 2.4, 2.6.11 and 2.6.32 without 4KSTACKS stay on the task's
   * stack), and its softirqs onto the softirq stack where there is one (i386 from 4.16, after the
   * hardirq stack is left): the typed event says which stack it leaves and enters, as data.
   */
  @ParameterizedTest
  @MethodSource("profiles")
  void anIrqStackSwitchNamesTheStackKindsItLeavesAndEnters(Profile p) {
    Machine m = TestMachines.spawned(p);
    m.irq(5);
    List<Event.StackSwitch> switches = m.timeline().events().stream()
        .filter(e -> e instanceof Event.StackSwitch).map(e -> (Event.StackSwitch) e).toList();
    assertThat(switches).allSatisfy(s -> {
      assertThat(s.to()).isIn(kstack.stack.StackKind.IRQ, kstack.stack.StackKind.SOFTIRQ);
      assertThat(s.from()).as(s.describe()).isEqualTo(kstack.stack.StackKind.TASK);
    });
  }

  @org.junit.jupiter.api.Test
  void onFourKStacksASoftirqStartedOnTheHardirqStackSwitchesFromThere() {
    Machine m = TestMachines.spawned(Profiles.i386_2_6_32().withConfig("4KSTACKS", true));
    m.irq(5);
    List<Event.StackSwitch> switches = m.timeline().events().stream()
        .filter(e -> e instanceof Event.StackSwitch).map(e -> (Event.StackSwitch) e).toList();
    assertThat(switches).extracting(Event.StackSwitch::to).contains(kstack.stack.StackKind.IRQ);
    assertThat(switches).allSatisfy(s -> assertThat(s.from()).as(s.describe())
        .isIn(kstack.stack.StackKind.TASK, kstack.stack.StackKind.IRQ));
  }
}
