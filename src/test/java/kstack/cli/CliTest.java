package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void noStackTrace(Run r) {
    assertThat(r.err() + r.out()).doesNotContain("Exception").doesNotContain("\tat kstack");
  }

  @Test
  void theDefaultScenarioPrintsTheBootStoryAndTheFinalStacks() {
    Run r = run("run");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("boot complete: pid 0 swapper/0, pid 1 init, pid 2 kthreadd")
        .contains("Backtrace of pid 1 (init)").contains("Kernel stack of pid 2 (kthreadd)")
        .contains("STACK_END_MAGIC");
  }

  @Test
  void anUnknownCommandIsOneLocatedLineAndExitCode1() {
    Run r = run("run", "-e", "boot", "-e", "  frobnicate now");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("-e:2:3: unknown command 'frobnicate' (try 'help')");
    noStackTrace(r);
  }

  @Test
  void aSyntaxErrorNamesTheColumnInsideTheExpression() {
    Run r = run("run", "-e", "p 1 + * 2");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("-e:1:");
    assertThat(r.err().lines().count()).isEqualTo(1);
    noStackTrace(r);
  }

  @Test
  void examiningAnUnmappedAddressFailsCleanly() {
    Run r = run("run", "-e", "x/4gx 0x10");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("-e:1:").contains("0x10");
    noStackTrace(r);
  }

  @Test
  void printingAMissingPidFailsCleanly() {
    Run r = run("run", "-e", "boot", "-e", "p find_task_by_vpid(99)->pid");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("-e:2:").contains("cannot access memory at address 0x");
    noStackTrace(r);
  }

  @Test
  void aMissingScenarioFileFailsAtItsFirstLine() {
    Run r = run("run", "no/such/file.ks");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("no/such/file.ks:1:1: no such scenario file");
    noStackTrace(r);
  }

  @Test
  void anErrorInAScenarioFileNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.ks");
    Files.writeString(f, "# comment\nboot\n   spawn\n");
    Run r = run("run", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo(f + ":3:4: usage: spawn NAME");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("run", "--kernel", "9.9").code()).isEqualTo(2);
    assertThat(run("run", "--config", "NOPE=y").code()).isEqualTo(2);
    assertThat(run("run", "--config", "KASAN=maybe").code()).isEqualTo(2);
    assertThat(run("run", "--cpus", "0").code()).isEqualTo(2);
    assertThat(run("run", "--bogus").code()).isEqualTo(2);
    Run sparc = run("run", "--arch", "sparc");
    assertThat(sparc.code()).isEqualTo(2);
    assertThat(sparc.err()).contains("unknown --arch sparc (known: x86_64, i386, arm64)");
  }

  @Test
  void jsonModeWritesOneObjectPerCommand() throws Exception {
    Run r = run("run", "--json", "--kernel", "4.16", "-e", "boot", "-e", "p/x $rsp",
        "-e", "p init_task.comm", "-e", "bt 1", "-e", "ps", "-e", "p -1");
    assertThat(r.code()).isZero();
    List<JsonNode> objs = new ArrayList<>();
    ObjectMapper om = new ObjectMapper();
    for (String line : r.out().split("\n")) {
      objs.add(om.readTree(line));
    }
    assertThat(objs).hasSize(6);
    assertThat(objs).allMatch(o -> o.get("ok").asBoolean());
    assertThat(objs.get(1).get("command").asText()).isEqualTo("p/x $rsp");
    assertThat(objs.get(1).get("value").asText()).startsWith("0x");
    assertThat(objs.get(2).get("value").asText()).as("init_idle renamed it").isEqualTo("swapper/0");
    JsonNode frames = objs.get(3).get("frames");
    assertThat(frames.get(0).get("function").asText()).isEqualTo("__schedule");
    assertThat(frames.get(0).get("address").asText()).startsWith("0xffffffff81");
    assertThat(frames.get(0).get("stack").asText()).isEqualTo("task");
    assertThat(frames.get(frames.size() - 1).get("stack").asText()).isEqualTo("user");
    JsonNode tasks = objs.get(4).get("tasks");
    assertThat(tasks.get(1).get("pid").asInt()).isEqualTo(1);
    assertThat(tasks.get(1).get("comm").asText()).isEqualTo("init");
    assertThat(tasks.get(1).get("ppid").asInt()).isZero();
    assertThat(tasks.get(2).get("state").asText()).isEqualTo("S");
    assertThat(objs.get(5).get("value").asText()).as("-1 is an int").isEqualTo("0xffffffff");
  }

  @Test
  void interactiveModeReadsCommandsFromStdinReportsErrorsAndGoesOn() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String input = "boot\nbogus\n\np init_task.pid\nquit\np 1\n";
    int code = Main.execute(new String[] {"run", "-i"},
        new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    String o = out.toString(StandardCharsets.UTF_8);
    assertThat(o).contains("boot complete").contains("$1 = 0").doesNotContain("$2");
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo("<stdin>:2:1: unknown command 'bogus' (try 'help')");
  }

  @Test
  void reverseStepiTakesStepsBackAndRefusesToGoPastTheStartOfHistory() {
    Run r = run("run", "-e", "boot", "-e", "spawn sh", "-e", "break do_syscall_64", "-e",
        "syscall getpid()", "-e", "p/x $rsp", "-e", "stepi 3", "-e", "reverse-stepi 3", "-e",
        "p/x $rsp", "-e", "rsi 99999999");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("$1 = 0xffffc9000001bf50").contains("$2 = 0xffffc9000001bf50");
    assertThat(r.err().strip()).matches("-e:9:5: reverse-stepi: only \\d+ step\\(s\\) of history");
  }

  @Test
  void jsonFramesOnAnIstStackNameTheStack() throws Exception {
    Run r = run("run", "--json", "-e", "boot", "-e", "spawn sh", "-e", "break vfs_write",
        "-e", "syscall write(1, \"x\")", "-e", "delete", "-e", "break default_do_nmi", "-e", "nmi",
        "-e", "bt");
    String[] lines = r.out().split("\n");
    JsonNode frames = new ObjectMapper().readTree(lines[lines.length - 1]).get("frames");
    assertThat(frames.get(0).get("stack").asText()).isEqualTo("exception");
    assertThat(frames.get(0).get("stack_name").asText()).isEqualTo("NMI stack");
    assertThat(frames.get(frames.size() - 1).has("stack_name")).isFalse();
  }

  @Test
  void aFailedCommandInJsonModeIsAnOkFalseObjectWithTheLocatedError() throws Exception {
    Run r = run("run", "--json", "-e", "boot", "-e", "bt 42");
    assertThat(r.code()).isEqualTo(1);
    String[] lines = r.out().split("\n");
    JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(last.get("ok").asBoolean()).isFalse();
    assertThat(last.get("command").asText()).isEqualTo("bt 42");
    assertThat(last.get("error").asText()).isEqualTo("-e:2:4: no task with pid 42");
  }

  @Test
  void theSameScenarioTwiceGivesByteIdenticalOutput() {
    Run a = run("run", "--json", "pipe");
    Run b = run("run", "--json", "pipe");
    assertThat(a.code()).isZero();
    assertThat(a.out()).isEqualTo(b.out());
    Run c = run("run", "--cpus", "2", "kthread");
    Run d = run("run", "--cpus", "2", "kthread");
    assertThat(c.out()).isEqualTo(d.out());
  }

  static List<String[]> scenarios() {
    List<String[]> out = new ArrayList<>();
    for (String s : Scenarios.BUILTIN.keySet()) {
      for (String arch : new String[] {"x86_64", "arm64"}) {
        out.add(new String[] {s, arch + ":4.16"});
        out.add(new String[] {s, arch + ":6.x"});
      }
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void everyBuiltInScenarioRunsOnEveryProfile(String scenario, String profile) {
    String[] ak = profile.split(":");
    Run r = run("run", "--arch", ak[0], "--kernel", ak[1], scenario);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].startsWith("(kstack) p ") && (lines[i].contains("==") || lines[i].contains("!="))) {
        assertThat(lines[i + 1]).as(lines[i]).endsWith(" = 1");
      }
    }
  }

  @Test
  void theSameScenarioDiffersBetween416And6xWhereTheFeaturesSay() {
    Run a = run("run", "--kernel", "4.16", "kthread");
    Run b = run("run", "--kernel", "6.x", "kthread");
    assertThat(a.out()).contains("_do_fork").doesNotContain("kernel_clone");
    assertThat(b.out()).contains("kernel_clone").doesNotContain("_do_fork")
        .contains("ret_from_fork_asm");
  }

  @Test
  void diffTiesEveryLayoutAndSymbolDifferenceToAFeature() {
    Run r = run("diff", "--a", "x86_64:4.16", "--b", "x86_64:6.x", "kthread");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("struct kthread_create_info").contains("because: KERNEL_CLONE")
        .contains("_do_fork").contains("because: DO_FORK")
        .doesNotContain("no cited feature");
    assertThat(r.out()).contains("== steps").contains("commands differ.");
  }

  @Test
  void diffBetweenI386TwoSixAndX8664SixListsTheStackShapeWithItsCauses() {
    Run r = run("diff", "--a", "i386:2.6", "--b", "x86_64:6.x", "boot");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("THREAD_INFO_AT_BASE").contains("THREAD_INFO_IN_TASK")
        .contains("struct pt_regs").contains("PTREGS_SIZE")
        .contains("because: the architecture (i386 vs x86_64)")
        .doesNotContain("no cited feature");
  }

  @Test
  void diffBetweenI386TwoFourAndTwoSixTiesEveryDifferenceToACitedFeature() {
    Run r = run("diff", "--a", "i386:2.4", "--b", "i386:2.6", "boot");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("TASK_UNION").contains("THREAD_INFO_AT_BASE")
        .contains("because: I386_ENTRY_24").contains("because: TASK_UNION")
        .contains("because: NO_KTHREADD").contains("because: TIMER_BH")
        .doesNotContain("no cited feature").doesNotContain("the profile's cited values");
  }

  @Test
  void theTwoFourProfileRefusesASecondCpuWithItsReason() {
    Run r = run("run", "--arch", "i386", "--kernel", "2.4", "--cpus", "2", "-e", "boot");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kstack: --cpus 2: the i386 2.4 (2.4.22) profile runs one CPU")
        .doesNotContain("Exception");
  }

  @Test
  void diffRejectsAnUnknownProfile() {
    Run r = run("diff", "--a", "x86_64:4.16", "--b", "sparc:1.0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no profile sparc:1.0");
  }

  @Test
  void xiPastTheLastModelledStepEndsTheListingInsteadOfFailing() {
    Run r = run("run", "--arch", "i386", "--kernel", "2.6.11", "-e", "x/400i sysenter_entry");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("sysenter_entry").contains("(no modelled code here: the listing stops)");
    Run none = run("run", "-e", "x/4i 0");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("-e:1:2: x/i: no code at 0x0");
  }
}
