package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.cli.Scenarios;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.lang.StateExport;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * A tab's history: seeking back and forward again reaches byte for byte the state the run had
 * there, on every profile; jumps land on the steps of the events of their kind; a command that only
 * reads or changes a setting keeps the run ahead, one that executes behind the frontier starts a
 * new run that later seeks reach exactly.
 */
class HistoryTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static History history(Profile p, String scenario) {
    List<Source.Line> lines = Scenarios.load(scenario, p).lines();
    return new History(() -> {
      Session s = new Session(Machine.create(p, 1));
      for (Source.Line l : lines) {
        s.execute(l);
      }
      return s;
    });
  }

  private static String state(History h) {
    return Tab.json(StateExport.of(h.machine()));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void seekingBackAndForwardAgainReachesTheSameStateAsTheRunHad(Profile p) {
    History h = history(p, "syscall");
    long end = h.frontier();
    String atEnd = state(h);
    long mid = end - 37;
    h.seek(mid);
    assertThat(h.step()).isEqualTo(mid);
    String atMid = state(h);
    h.seek(h.floor());
    assertThat(h.step()).isEqualTo(h.floor());
    h.seek(mid);
    assertThat(state(h)).isEqualTo(atMid);
    h.seek(end + 1000);
    assertThat(h.step()).isEqualTo(end);
    assertThat(state(h)).isEqualTo(atEnd);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void jumpsLandOnTheStepsOfTheirEventsAndBackAgain(Profile p) {
    History h = history(p, "syscall");
    h.seek(h.floor());
    long first = h.eventStep(History.Kind.SYSCALL, true);
    assertThat(first).isPositive();
    assertThat(h.marks()).anyMatch(k -> k.step() == first && k.kind() == History.Kind.SYSCALL);
    assertThat(h.marks().stream().filter(k -> k.kind() == History.Kind.SYSCALL)
        .mapToLong(History.Mark::step).min().orElseThrow()).isEqualTo(first);
    h.seek(first);
    assertThat(h.eventStep(History.Kind.SYSCALL, false)).isEqualTo(-1);
    long sw = h.eventStep(History.Kind.SWITCH, true);
    assertThat(sw).isGreaterThan(first);
    h.seek(sw);
    assertThat(h.eventStep(History.Kind.SYSCALL, false)).isEqualTo(h.marks().stream()
        .filter(k -> k.kind() == History.Kind.SYSCALL && k.step() < sw)
        .mapToLong(History.Mark::step).max().orElseThrow());
  }

  @Test
  void aReadingCommandKeepsTheRunAheadAndAChangingOneStartsANewRunThatReplays() {
    History h = history(Profiles.x86_64_6_19(), "syscall");
    long end = h.frontier();
    h.seek(end - 10);
    assertThat(h.run("bt").text()).isNotEmpty();
    assertThat(h.frontier()).isEqualTo(end);
    h.run("stepi 3");
    assertThat(h.frontier()).isEqualTo(end - 7);
    String here = state(h);
    h.seek(end - 20);
    h.seek(end - 7);
    assertThat(state(h)).isEqualTo(here);
    assertThat(h.step()).isEqualTo(end - 7);
  }

  @Test
  void aSettingBehindTheFrontierKeepsTheRecordedRunAheadAndSeeksStayExact() {
    History h = history(Profiles.x86_64_6_19(), "syscall");
    long end = h.frontier();
    int marks = h.marks().size();
    h.seek(end);
    String atEnd = state(h);
    h.seek(end - 10);
    String here = state(h);
    h.run("break schedule");
    assertThat(h.frontier()).isEqualTo(end);
    assertThat(h.marks()).hasSize(marks);
    h.seek(end - 30);
    h.seek(end);
    assertThat(state(h)).isEqualTo(atEnd);
    h.seek(end - 10);
    assertThat(state(h)).isEqualTo(here);
  }
}
