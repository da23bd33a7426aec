package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gdb's value history, convenience variables, print formats, EXPR@N, ptype and whatis. */
class GdbValuesTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static List<String> run(Session s, String command) {
    return s.execute(Source.commandLine(1, command)).text();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void historyNumbersEveryPrintAndDollarFormsReachBack(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThat(run(s, "p 5")).containsExactly("$1 = 5");
    assertThat(run(s, "p $ + 1")).containsExactly("$2 = 6");
    assertThat(run(s, "p $$")).containsExactly("$3 = 5");
    assertThat(run(s, "p $1 * 3")).containsExactly("$4 = 15");
    assertThat(run(s, "p $$2")).containsExactly("$5 = 6");
    assertThat(run(s, "p $$0")).containsExactly("$6 = 6");
    assertThat(s.execute(Source.commandLine(1, "p 7")).json()).containsEntry("history", 7);
    assertThatThrownBy(() -> run(s, "p $99")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("history has no value $99 (it holds $1 to $7)");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aScalarInTheHistoryKeepsTheValueItHadWhenPrinted(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    var regs = s.machine().arch().registers();
    String sp = "$" + regs.name(regs.sp);
    run(s, "p/x " + sp);
    long before = s.machine().cpu(s.machine().selectedCpu()).get(regs.sp);
    run(s, "syscall getpid()");
    assertThat(run(s, "p/x $1")).containsExactly("$2 = 0x" + Long.toHexString(before));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void convenienceVariablesHoldAValueForLaterExpressions(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThat(run(s, "set $t = current").get(0)).startsWith("$t = (struct task_struct *) 0x");
    assertThat(run(s, "p $t->pid - current->pid")).containsExactly("$1 = 0");
    assertThat(run(s, "p $t == current")).containsExactly("$2 = 1");
    run(s, "set var $n = $t->pid - current->pid + 42");
    assertThat(run(s, "p $n")).containsExactly("$3 = 42");
    assertThatThrownBy(() -> run(s, "p $nosuch")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("$nosuch is neither a register of");
    var regs = s.machine().arch().registers();
    assertThatThrownBy(() -> run(s, "set $" + regs.name(regs.sp) + " = 0"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("is a register");
    assertThatThrownBy(() -> run(s, "set init_task.pid = 3")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("usage: set $NAME = EXPR");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void printFormatsAndArtificialArrays(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThat(run(s, "p/s current->comm")).containsExactly("$1 = \"sh\"");
    assertThat(run(s, "p/x 255")).containsExactly("$2 = 0xff");
    assertThat(run(s, "p/o 8")).containsExactly("$3 = 010");
    assertThat(run(s, "p/t 5")).containsExactly("$4 = 101");
    assertThat(run(s, "p/c 65")).containsExactly("$5 = 65 'A'");
    assertThat(run(s, "p/d -1")).containsExactly("$6 = -1");
    assertThat(run(s, "p init_task.comm[0]@3").get(0)).startsWith("$7 = \"swa");
    assertThat(run(s, "whatis current->comm[0]@2")).containsExactly("type = char [2]");
    assertThatThrownBy(() -> run(s, "p 5@2")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("only an object in memory can be extended with '@'");
    assertThatThrownBy(() -> run(s, "p init_task.pid@0")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("repeat count 0 must be 1 or more");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void ptypeSpellsOutAStructAndWhatisNamesTheType(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThat(run(s, "whatis current")).containsExactly("type = struct task_struct *");
    assertThat(run(s, "whatis struct pt_regs")).containsExactly("type = struct pt_regs");
    List<String> lh = run(s, "ptype (struct list_head *)0");
    assertThat(lh).containsExactly("type = struct list_head {", "    struct list_head *next;",
        "    struct list_head *prev;", "} *");
    List<String> regs = run(s, "ptype struct pt_regs");
    int fields = s.machine().struct("pt_regs").fields().size();
    assertThat(regs).hasSize(fields + 2);
    assertThat(s.execute(Source.commandLine(1, "ptype struct pt_regs")).json())
        .containsEntry("size", s.machine().struct("pt_regs").size());
    assertThat(run(s, "ptype unsigned long")).containsExactly("type = unsigned long");
    assertThatThrownBy(() -> run(s, "ptype")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("usage: ptype EXPR | ptype TYPE");
  }
}
