package kstack.cli;

import static kstack.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kstack.cli.CliTest.Run;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Commands on a machine at power-on, and user calls with the wrong number of arguments. */
class BeforeBootTest {

  @ParameterizedTest
  @ValueSource(strings = {"continue", "c", "run", "irq 3", "tick", "nmi", "exception db"})
  void resumingAndInterruptingBeforeBootRefuseWithTheReason(String command) {
    Run r = run("run", "-e", command);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("-e:1:1: the machine has not booted: run 'boot' first; ");
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.out()).doesNotContain("boot complete").doesNotContain("context switch");
  }

  @Test
  void stepiStillStepsThroughBootFromItsFirstInstructionAndThenContinueWorks() {
    Run r = run("run", "-e", "stepi", "-e", "continue");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("startup_64+0x4").contains("context switch");
  }

  @Test
  void btVBeforeStartKernelSaysTheMagicIsNotWrittenYetNotAnOverflow() throws Exception {
    for (String[] p : new String[][] {{"x86_64", "6.x"}, {"x86_64", "4.16"}, {"arm64", "6.x"},
        {"i386", "4.16"}}) {
      Run r = run("run", "--arch", p[0], "--kernel", p[1], "-e", "bt -v");
      assertThat(r.code()).isZero();
      assertThat(r.out()).as(p[0] + " " + p[1]).contains("STACK_END_MAGIC not written yet")
          .contains("No stack overflow found.").doesNotContain("overflowed");
    }
    Run j = run("run", "--json", "-e", "bt -v");
    JsonNode stack = new ObjectMapper().readTree(j.out().strip()).get("stacks").get(0);
    assertThat(stack.get("magic_written").asBoolean(true)).isFalse();
    assertThat(stack.has("magic_ok")).isFalse();
    assertThat(run("run", "-e", "stack").out())
        .contains("end_of_stack: STACK_END_MAGIC not written yet").doesNotContain("overwritten");
    Run after = run("run", "-e", "boot", "-e", "bt -v");
    assertThat(after.out()).doesNotContain("not written yet").contains("No stack overflow found.");
  }

  @Test
  void aUserCallWithTheWrongNumberOfArgumentsNamesTheFunctionsArity() {
    Run few = run("run", "-e", "boot", "-e", "spawn sh", "-e", "call inner(1)");
    assertThat(few.code()).isEqualTo(1);
    assertThat(few.err()).isEqualTo("-e:3:6: inner takes 3 arguments, not 1\n");
    Run many = run("run", "-e", "boot", "-e", "spawn sh", "-e", "call outer(1, 2)");
    assertThat(many.err()).isEqualTo("-e:3:6: outer takes 1 argument, not 2\n");
    Run sum8 = run("run", "--arch", "arm64", "-e", "boot", "-e", "spawn sh", "-e",
        "call sum8(1, 2, 3, 4, 5, 6, 7, 8)", "-e", "call sum8(1, 2, 3, 4, 5, 6)");
    assertThat(sum8.out()).contains("call sum8 returned 36");
    assertThat(sum8.err()).isEqualTo("-e:4:6: sum8 takes 8 arguments, not 6\n");
  }
}
