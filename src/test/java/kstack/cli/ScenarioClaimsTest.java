package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * What the built-in scenarios claim holds on every profile they run on: every comparison they
 * print is true, and the user stack pointer they print after the entry code saved it is the one
 * the user had before the call.
 */
class ScenarioClaimsTest {
  @Test
  void everyComparisonABuiltInScenarioPrintsIsTrueOnEveryProfile() {
    List<String> wrong = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      for (String s : Scenarios.BUILTIN.keySet()) {
        CliTest.Run r = CliTest.run("run", "--arch", p.arch(), "--kernel", p.kernel(), s);
        String[] lines = r.out().split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
          String cmd = lines[i];
          boolean comparison = cmd.startsWith("(kstack) p ")
              && cmd.replace("->", "").matches(".*(==|!=|<|>).*");
          if (comparison && !lines[i + 1].matches("\\$\\d+ = 1")) {
            wrong.add(p.label() + " " + s + ": " + cmd + " -> " + lines[i + 1]);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theSyscallScenarioShowsTheUsersOwnStackPointerWhereItSaysTheEntryCodeSavedIt() {
    for (Profile p : Profiles.all()) {
      CliTest.Run r = CliTest.run("run", "--arch", p.arch(), "--kernel", p.kernel(), "syscall");
      String[] lines = r.out().split("\n");
      String before = null;
      for (int i = 0; i + 1 < lines.length; i++) {
        if (before == null && lines[i].equals("(kstack) p/x $sp")) {
          before = lines[i + 1].replaceAll("^\\$\\d+ = ", "");
        }
        if (lines[i].startsWith("(kstack) p/x task_pt_regs(current)->")) {
          assertThat(lines[i + 1].replaceAll("^\\$\\d+ = ", "")).as(p.label()).isEqualTo(before);
        }
      }
      assertThat(before).as(p.label()).isNotNull();
    }
  }
}
