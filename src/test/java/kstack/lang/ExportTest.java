package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.trace.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** export trace (json, perfetto) and export state: files a reader loads, checked against the run. */
class ExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static Session session(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    run(s, "irq 1");
    run(s, "syscall getpid()");
    return s;
  }

  private static Result run(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  private JsonNode export(Session s, String what) throws IOException {
    Path f = dir.resolve("out.json");
    run(s, "export " + what + " " + f);
    return JSON.readTree(Files.readString(f));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aPerfettoTraceHasATrackPerCpuAndASliceForEverySwitchAndSyscallAtItsStep(Profile p)
      throws IOException {
    Session s = session(p);
    Machine m = s.machine();
    JsonNode events = export(s, "trace --format perfetto").get("traceEvents");
    List<String> names = new ArrayList<>();
    List<String> switches = new ArrayList<>();
    List<String> syscalls = new ArrayList<>();
    for (JsonNode e : events) {
      String ph = e.get("ph").asText();
      if (ph.equals("M") && e.get("name").asText().equals("thread_name")) {
        names.add(e.get("tid").asInt() + "=" + e.get("args").get("name").asText());
      } else if (ph.equals("X") && e.get("cat").asText().equals("context_switch")) {
        switches.add(e.get("tid").asInt() + "@" + e.get("ts").asLong() + " "
            + e.get("args").get("next_pid").asInt());
      } else if (ph.equals("X") && e.get("cat").asText().equals("syscall")
          && !e.get("args").has("resumed")) {
        syscalls.add(e.get("tid").asInt() + "@" + e.get("ts").asLong() + " "
            + e.get("name").asText());
      }
    }
    List<String> wantNames = new ArrayList<>();
    for (int c = 0; c < m.cpuCount(); c++) {
      wantNames.add(PerfettoTrace.tid(c) + "=cpu" + c);
      wantNames.add(PerfettoTrace.tid(c) + 1 + "=cpu" + c + " stack");
    }
    List<String> wantSwitches = new ArrayList<>();
    List<String> wantSyscalls = new ArrayList<>();
    List<Event> all = m.timeline().events();
    for (int i = 0; i < all.size(); i++) {
      String at = PerfettoTrace.tid(all.get(i).cpu()) + "@" + m.timeline().stepOf(i) + " ";
      if (all.get(i) instanceof Event.ContextSwitch cs) {
        wantSwitches.add(at + cs.toPid());
      } else if (all.get(i) instanceof Event.SyscallEntry se) {
        wantSyscalls.add(at + se.name());
      }
    }
    assertThat(names).containsExactlyElementsOf(wantNames);
    assertThat(switches).isNotEmpty().containsExactlyElementsOf(wantSwitches);
    assertThat(syscalls).contains(wantSyscalls.get(wantSyscalls.size() - 1))
        .containsExactlyInAnyOrderElementsOf(wantSyscalls);
    assertSlicesNest(events);
  }

  /** On each track, slices either nest or follow each other: what a trace viewer can draw. */
  private static void assertSlicesNest(JsonNode events) {
    List<long[]> slices = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.get("ph").asText().equals("X")) {
        long ts = e.get("ts").asLong();
        slices.add(new long[] {e.get("tid").asLong(), ts, ts + e.get("dur").asLong()});
      }
    }
    for (long[] a : slices) {
      assertThat(a[2]).isGreaterThanOrEqualTo(a[1]);
      for (long[] b : slices) {
        boolean overlap = a[0] == b[0] && a[1] < b[1] && b[1] < a[2];
        if (overlap) {
          assertThat(b[2]).as("slice [%d,%d] inside [%d,%d]", b[1], b[2], a[1], a[2])
              .isLessThanOrEqualTo(a[2]);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theJsonTraceListsEveryEventWithItsStepTypeAndText(Profile p) throws IOException {
    Session s = session(p);
    Machine m = s.machine();
    JsonNode events = export(s, "trace --format json").get("events");
    List<Event> all = m.timeline().events();
    assertThat(events.size()).isEqualTo(all.size());
    for (int i = 0; i < all.size(); i++) {
      JsonNode e = events.get(i);
      assertThat(e.get("step").asLong()).isEqualTo(m.timeline().stepOf(i));
      assertThat(e.get("type").asText()).isEqualTo(all.get(i).getClass().getSimpleName());
      assertThat(e.get("text").asText()).isEqualTo(all.get(i).describe());
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theStateHasEveryTaskItsStackAndEachCpusRegistersAndCurrentTask(Profile p)
      throws IOException {
    Session s = session(p);
    Machine m = s.machine();
    JsonNode st = export(s, "state");
    var ps = m.inspector().snapshot();
    assertThat(st.get("tasks").size()).isEqualTo(ps.tasks().size());
    assertThat(st.get("task_stacks").get(3).get("pid").asInt()).isEqualTo(3);
    assertThat(st.get("cpus").size()).isEqualTo(m.cpuCount());
    JsonNode cpu0 = st.get("cpus").get(0);
    var regs = m.arch().registers();
    assertThat(cpu0.get("registers").get(regs.name(regs.sp)).asText())
        .isEqualTo("0x" + Long.toHexString(m.cpu(0).get(regs.sp)));
    int running = ps.taskStacks().stream().filter(t -> t.owner().cpu() == 0).findFirst()
        .orElseThrow().owner().pid();
    assertThat(cpu0.get("current_pid").asInt()).isEqualTo(running);
    assertThat(cpu0.has("per_cpu")).isTrue();
    JsonNode stack = st.get("task_stacks").get(3).get("stack");
    assertThat(hex(stack.get("high")) - hex(stack.get("low")))
        .isEqualTo(stack.get("size").asLong());
    assertThat(stack.get("words").size()).isPositive();
  }

  private static long hex(JsonNode n) {
    return Long.parseUnsignedLong(n.asText().substring(2), 16);
  }

  @Test
  void theSameRunExportsTheSameBytes() throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    run(session(Profiles.x86_64_4_16()), "export trace --format perfetto " + a);
    run(session(Profiles.x86_64_4_16()), "export trace --format perfetto " + b);
    assertThat(Files.readString(a)).isEqualTo(Files.readString(b));
  }

  @Test
  void badExportsNameTheWordAtFault() {
    Session s = session(Profiles.x86_64_4_16());
    assertThatThrownBy(() -> run(s, "export trace --format xml /tmp/x.json"))
        .hasMessage("export trace: unknown format 'xml' (json or perfetto)")
        .extracting(e -> ((ScriptError) e).column()).isEqualTo(23);
    assertThatThrownBy(() -> run(s, "export movie f"))
        .hasMessageStartingWith("export: unknown kind 'movie'")
        .extracting(e -> ((ScriptError) e).column()).isEqualTo(8);
    assertThatThrownBy(() -> run(s, "export state " + dir.resolve("no/such/dir.json")))
        .hasMessageEndingWith("dir.json: no such directory");
    assertThatThrownBy(() -> run(s, "export state " + dir))
        .hasMessageContaining("export: cannot write " + dir);
    assertThatThrownBy(() -> run(s, "export trace f.json"))
        .hasMessageContaining("usage: export trace --format json|perfetto FILE");
  }
}
