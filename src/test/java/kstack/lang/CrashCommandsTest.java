package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** crash's task, rd and struct -o, and pahole's struct annotations, on every profile. */
class CrashCommandsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static List<String> run(Session s, String command) {
    return s.execute(Source.commandLine(1, command)).text();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void structDashOListsEveryMemberAtItsOffsetAndTheSize(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    StructLayout l = s.machine().struct("pt_regs");
    List<String> out = run(s, "struct -o pt_regs");
    assertThat(out.get(0)).isEqualTo("struct pt_regs {");
    assertThat(out).hasSize(l.fields().size() + 3).endsWith("}", "SIZE: " + l.size());
    Field last = l.fields().get(l.fields().size() - 1);
    assertThat(out.get(l.fields().size())).startsWith("  [" + last.offset() + "] ")
        .contains(" " + last.name());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void structMarksEachCachelineItsMembersCrossAndSumsTheLayout(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    StructLayout l = s.machine().struct("task_struct");
    List<String> out = run(s, "struct task_struct");
    long marks = out.stream().filter(x -> x.contains("--- cacheline ")).count();
    assertThat(marks).isEqualTo(l.fields().stream().mapToInt(f -> f.offset() / 64).distinct()
        .filter(line -> line > 0).count());
    assertThat(out).contains(String.format("\t/* size: %d, cachelines: %d, members: %d */",
        l.size(), (l.size() + 63) / 64, l.fields().size()));
    int holes = (int) out.stream().filter(x -> x.contains("hole, try to pack")).count();
    assertThat(out).anyMatch(x -> x.contains("holes: " + holes + ","));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void taskShowsThePidsTaskStructWithItsValues(Profile p) {
    Machine m = TestMachines.spawned(p);
    Session s = new Session(m);
    List<String> out = run(s, "task 1");
    long task = m.inspector().findTaskByVpid(1);
    assertThat(out.get(0)).startsWith(String.format("PID: 1      TASK: %x  CPU: ", task))
        .endsWith("COMMAND: \"init\"");
    assertThat(out).anyMatch(x -> x.matches("\tint pid; +/\\* +\\d+ +4 \\*/ = 0x1"));
    assertThat(out).anyMatch(x -> x.contains(" comm[16];") && x.contains("= \"init\""));
    assertThat(run(s, "task").get(0)).contains("COMMAND: \"sh\"");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void rdReadsWordsWithTheSymbolsTheyPointTo(Profile p) {
    Machine m = TestMachines.spawned(p);
    Session s = new Session(m);
    int word = m.arch().types().word;
    long addr = m.symbols().get("init_task").address();
    List<String> out = run(s, "rd &init_task 8");
    assertThat(out).hasSize(word == 8 ? 4 : 2);
    String first = out.get(0);
    assertThat(first).startsWith(String.format("%0" + word * 2 + "x:  %0" + word * 2 + "x",
        addr, m.inspector().read(addr, word)));
    int n = (int) (m.struct("task_struct").size() / word);
    List<String> all = run(s, "rd &init_task " + n);
    int named = 0;
    for (int k = 0; k < n; k++) {
      String d = m.symbols().describe(m.inspector().read(addr + (long) k * word, word));
      if (d != null) {
        named++;
        assertThat(all.get(k / (16 / word))).contains("<" + d + ">");
      }
    }
    assertThat(named).isPositive();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void btDashAShowsEachCpusCurrentTaskUnderItsCpu(Profile p) {
    Machine m = TestMachines.spawned(p);
    Session s = new Session(m);
    List<String> out = run(s, "bt -a");
    List<String> bt = run(s, "bt");
    int at = out.indexOf("CPU " + m.selectedCpu() + ":");
    assertThat(at).isNotNegative();
    assertThat(out.subList(at + 1, at + 1 + bt.size())).containsExactlyElementsOf(bt);
    assertThat(out.stream().filter(l -> l.matches("CPU \\d+:")).count())
        .isEqualTo(out.stream().filter(l -> l.startsWith("Backtrace of pid")).count());
    assertThatThrownBy(() -> run(s, "bt -a 1")).hasMessageStartingWith("bt: -a shows every");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void badArgumentsNameWhatIsWrong(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThatThrownBy(() -> run(s, "task 999")).hasMessage("task: no task with pid 999");
    assertThatThrownBy(() -> run(s, "struct -o no_such")).hasMessageStartingWith(
        "no struct no_such in the ");
    assertThatThrownBy(() -> run(s, "rd 0 0")).hasMessage("rd: COUNT must be 1 to 4096");
    assertThatThrownBy(() -> run(s, "rd 8")).hasMessageStartingWith("cannot access memory");
    assertThatThrownBy(() -> run(s, "rd")).hasMessage("usage: rd ADDR [COUNT]");
  }
}
