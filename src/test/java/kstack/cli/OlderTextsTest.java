package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A member an older text uses but this generation lacks is refused with what the source says. */
class OlderTextsTest {
  @Test
  void threadInfoTaskIsExplainedAsThe26EraRouteToCurrent() {
    CliTest.Run r = CliTest.run("run", "-e", "boot", "-e", "p current_thread_info()->task");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("-e:2:26: struct thread_info has no member named 'task': ")
        .contains("THREAD_INFO_IN_TASK").contains("per-CPU current_task");
  }

  @Test
  void onTwoSixTheThreadInfoAtTheStackBasePointsAtCurrent() {
    for (String arch : new String[] {"i386", "x86_64"}) {
      CliTest.Run r = CliTest.run("run", "--arch", arch, "--kernel", "2.6", "-e", "boot", "-e",
          "spawn sh", "-e", "p current_thread_info()->task == current", "-e",
          "p (unsigned long)current_thread_info() == (unsigned long)current->stack");
      assertThat(r.code()).as(arch).isZero();
      assertThat(r.out()).contains("$1 = 1").contains("$2 = 1");
    }
  }

  @Test
  void onArm64TheExplanationNamesSpEl0() {
    CliTest.Run r = CliTest.run("run", "--arch", "arm64", "-e", "boot", "-e",
        "p current_thread_info()->task");
    assertThat(r.err()).contains("arch/arm64/Kconfig@6.19").contains("sp_el0");
  }

  @Test
  void anOldPtRegsNameSuggestsTheUnifiedOne() {
    CliTest.Run r = CliTest.run("run", "-e", "boot", "-e", "p task_pt_regs(current)->rsp");
    assertThat(r.err()).contains("try 'sp'");
  }

  @Test
  void taskStateIsExplainedAsRenamedOn619AndWorksOn416() {
    assertThat(CliTest.run("run", "-e", "boot", "-e", "p init_task.state").err())
        .contains("renamed __state in 5.14");
    assertThat(CliTest.run("run", "--kernel", "4.16", "-e", "boot", "-e", "p init_task.state")
        .code()).isZero();
  }
}
