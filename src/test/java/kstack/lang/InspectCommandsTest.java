package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.TestMachines;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** x, info registers and bt as commands: their argument grammar and their widths on every arch. */
class InspectCommandsTest {
  private static List<String> run(Session s, String command) {
    return s.execute(Source.commandLine(1, command)).text();
  }

  private static ScriptError fails(Session s, String command) {
    try {
      s.execute(Source.commandLine(1, command));
    } catch (ScriptError e) {
      return e;
    }
    throw new AssertionError("no error for " + command);
  }

  static List<Profile> profiles() {
    return List.of(Profiles.x86_64_4_16(), Profiles.i386_2_6_32(), Profiles.i386_2_4(),
        Profiles.arm64_6_19());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void examineWithoutASizeReadsPointersAtThePointerWidthAndCharsAsBytes(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    int ptr = s.machine().arch().types().word;
    String sp = run(s, "p/x $sp").get(0).substring(5);
    List<String> a = run(s, "x/2a " + sp);
    assertThat(a).hasSize(1);
    long first = s.machine().inspector().read(Long.decode(sp), ptr);
    assertThat(a.get(0)).contains("\t0x" + Long.toHexString(first));
    assertThat(run(s, "x/4c &init_task.comm").get(0)).contains("115 's'\t119 'w'\t97 'a'\t112 'p'");
    assertThat(run(s, "x/c &init_task.comm").get(0)).endsWith("\t115 's'");
    // gdb: without a size, the size used last; x/8gx is legal on i386 (8-byte units)
    assertThat(run(s, "x/2gx " + sp).get(0).split("\t")[1]).hasSize(18);
    assertThat(run(s, "x/x " + sp).get(0).split("\t")[1]).hasSize(18);
    assertThat(run(s, "x/xw " + sp).get(0).split("\t")[1]).hasSize(10);
    assertThat(run(s, "x/tb " + sp).get(0).split("\t")[1]).hasSize(8);
    assertThat(run(s, "x/a " + sp).get(0)).contains("\t0x" + Long.toHexString(first));
  }

  @Test
  void i386AddressesAndRegistersAreThirtyTwoBits() {
    Session s = new Session(TestMachines.spawned(Profiles.i386_2_6_32()));
    assertThat(run(s, "x/wx 3238002688").get(0)).startsWith("0xc1000000");
    assertThat(run(s, "x/wx -1056964608").get(0)).startsWith("0xc1000000");
    assertThat(run(s, "p *(int *)(long)current").get(0)).doesNotContain("0xffffffff");
    assertThat(run(s, "p 4294967296")).containsExactly("$2 = 4294967296");
    assertThat(run(s, "p 10000000000/10")).containsExactly("$3 = 1000000000");
    run(s, "syscall write(-1, \"x\")");
    assertThat(run(s, "info registers ebx")).containsExactly(
        String.format("%-10s 0x%-18x %s", "ebx", 0xffffffffL, "-1"));
    assertThat(run(s, "p/x $ebx")).containsExactly("$4 = 0xffffffff");
    assertThat(run(s, "p $ebx")).containsExactly("$5 = -1");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void infoRegistersShowsJustTheNamedRegistersInTheOrderGiven(Profile p) {
    Machine m = TestMachines.spawned(p);
    Session s = new Session(m);
    var set = m.arch().registers();
    String pc = set.name(set.pc);
    String sp = set.name(set.sp);
    List<String> two = run(s, "info registers " + pc + " $" + sp);
    assertThat(two).hasSize(2);
    assertThat(two.get(0)).startsWith(pc + " ");
    assertThat(two.get(1)).startsWith(sp + " ").contains(Long.toHexString(m.cpu(0).sp()));
    assertThat(run(s, "info registers pc").get(0)).startsWith("pc ")
        .contains(Long.toHexString(m.cpu(0).pc()));
    assertThat(run(s, "info registers").size()).isEqualTo(set.visibleNames().size());
    ScriptError e = fails(s, "info registers " + pc + " nope");
    assertThat(e.getMessage()).contains("no register 'nope' on " + p.arch());
    assertThat(e.column()).isEqualTo(17 + pc.length());
    assertThat(fails(s, "info registers nmi_blocked").getMessage()).contains("no register");
  }

  @Test
  void arm64NamesItsSystemRegisters() {
    Session s = new Session(TestMachines.spawned(Profiles.arm64_4_16()));
    assertThat(run(s, "info registers sp_el0 $x0")).hasSize(2);
  }

  @Test
  void btRefusesAnUnknownOptionByName() {
    Session s = new Session(TestMachines.spawned(Profiles.x86_64_6_19()));
    for (String opt : new String[] {"-x", "-full"}) {
      ScriptError e = fails(s, "bt " + opt);
      assertThat(e.getMessage()).isEqualTo("bt: unknown option " + opt
          + "; bt takes [-v | -a | [-f | -F | -r] [-n [-]N] [PID]]");
      assertThat(e.column()).isEqualTo(4);
    }
    assertThat(fails(s, "bt full").getMessage()).startsWith("bt: unknown option full;");
    assertThat(fails(s, "bt -v 1").getMessage()).contains("takes no PID");
    assertThat(fails(s, "bt 1 -v").column()).isEqualTo(6);
    assertThat(fails(s, "bt -v -f").getMessage()).contains("-v checks every task's stack");
    assertThat(run(s, "bt 1").get(0)).startsWith("Backtrace of pid 1");
    assertThat(run(s, "bt current->pid").get(0)).startsWith("Backtrace of pid 3");
    assertThat(run(s, "bt -v")).last().isEqualTo("No stack overflow found.");
    assertThat(fails(s, "bt -1").getMessage()).contains("not a pid");
  }

  @Test
  void printTakesEveryFormatLetterItsFormatterKnows() {
    Session s = new Session(Machine.create(Profiles.i386_2_6_32(), 1));
    assertThat(run(s, "p/o 8")).containsExactly("$1 = 010");
    assertThat(run(s, "p/t 5")).containsExactly("$2 = 101");
    assertThat(run(s, "p/x -1")).containsExactly("$3 = 0xffffffff");
    assertThat(run(s, "p/a -1")).containsExactly("$4 = 0xffffffff");
    assertThat(fails(s, "p/q 1").getMessage()).contains("/o, /t");
  }

  @Test
  void aHashInACharacterLiteralIsNotAComment() {
    Session s = new Session(TestMachines.spawned(Profiles.x86_64_4_16()));
    assertThat(run(s, "p '#'  # the character")).containsExactly("$1 = 35 '#'");
    assertThat(run(s, "p '\\'' == 39 # an escaped quote")).containsExactly("$2 = 1");
    assertThat(Source.parse("f", "p '#' + \"#\" # c\n").lines().get(0).text())
        .isEqualTo("p '#' + \"#\"");
    run(s, "call sum8('a', ',', ')', 4, 5, 6, 7, 8)");
    assertThat(run(s, "p $retval")).containsExactly("$3 = 212");
  }
}
