package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.exec.Insn;
import kstack.exec.Routine;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/**
 * copy_process's no-free-pid path says what that generation's kernel does
 * (docs/research/fork-no-free-pid.md): 4.16 passes -ENOSPC on and frees the task with free_task
 * (kernel/fork.c@4.16.13:2019-2024); 6.19 maps it to -EAGAIN and uses delayed_free_task
 * (kernel/pid.c@6.19:243-246, kernel/fork.c@6.19:2533-2542).
 */
class ForkFailurePathTextTest {

  private static List<String> copyProcess(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    Routine r = k.image.routines().stream().filter(x -> x.name().equals("copy_process"))
        .findFirst().orElseThrow();
    return r.insns().stream().map(Insn::text).toList();
  }

  @Test
  void theFailurePathNamesEachGenerationsErrorAndHowItFreesTheTask() {
    int checked = 0;
    for (Profile p : Profiles.all()) {
      boolean v416 = p.version().startsWith("4.16");
      boolean v6 = p.version().startsWith("6.");
      if (!v416 && !v6) {
        continue;
      }
      String texts = String.join("\n", copyProcess(p));
      if (v416) {
        assertThat(texts).as(p.label()).contains("-ENOSPC").contains("free_task(p); return ERR_PTR")
            .doesNotContain("delayed_free_task").doesNotContain("-EAGAIN");
      } else {
        assertThat(texts).as(p.label()).contains("-EAGAIN")
            .contains("delayed_free_task(p); return ERR_PTR");
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }
}
