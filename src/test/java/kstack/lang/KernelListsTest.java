package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.stack.TaskInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** container_of in expressions and crash's list, walking init_task.tasks on every profile. */
class KernelListsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static List<String> run(Session s, String command) {
    return s.execute(Source.commandLine(1, command)).text();
  }

  private static Session withTaskList(Profile p) {
    Machine m = TestMachines.spawned(p);
    // 2.4 links tasks by next_task/prev_task pointers, not a list_head (sched.h@2.4.22)
    Assumptions.assumeTrue(m.struct("task_struct").hasPath("tasks"), "no list_head tasks");
    return new Session(m);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void containerOfTurnsAListNodeBackIntoItsTask(Profile p) {
    Session s = withTaskList(p);
    assertThat(run(s, "p container_of(&init_task.tasks, struct task_struct, tasks) == &init_task"))
        .containsExactly("$1 = 1");
    assertThat(run(s, "p container_of(init_task.tasks.next, struct task_struct, tasks)->pid"))
        .containsExactly("$2 = 1");
    assertThat(run(s, "p container_of(init_task.tasks.next, struct task_struct, tasks)->comm"))
        .containsExactly("$3 = \"init\"");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void listWalksTheTaskListAsPsDoesWithAMemberOfEach(Profile p) {
    Session s = withTaskList(p);
    Machine m = s.machine();
    List<String> want = new ArrayList<>();
    int word = m.arch().types().word;
    for (TaskInfo t : m.inspector().ps()) {
      if (t.pid() != 0 && t.task() != m.symbols().get("init_task").address()) {
        want.add(String.format("%0" + word * 2 + "x", t.task()));
        want.add("  comm = \"" + t.comm() + "\"");
      }
    }
    List<String> got = run(s, "list -H init_task.tasks -s task_struct.comm");
    assertThat(got).containsExactlyInAnyOrderElementsOf(want);
    assertThat(run(s, "list -H init_task.tasks -o task_struct.tasks"))
        .containsExactlyElementsOf(got.stream().filter(l -> !l.startsWith(" ")).toList());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void badListsAndContainerOfNameWhatIsWrong(Profile p) {
    Session s = withTaskList(p);
    assertThatThrownBy(() -> run(s, "list -H init_task.tasks -s task_struct.nope"))
        .hasMessage("list: struct task_struct has no member nope");
    assertThatThrownBy(() -> run(s, "list -H init_task.tasks -s nosuch.comm"))
        .hasMessageStartingWith("list: no struct nosuch");
    assertThatThrownBy(() -> run(s, "list -x 1")).hasMessageStartingWith("list: expected an option");
    assertThatThrownBy(() -> run(s, "p container_of(&init_task.tasks, struct task_struct, nope)"))
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> run(s, "p container_of(1, struct nosuch, x)"))
        .hasMessageContaining("no struct nosuch");
  }
}
