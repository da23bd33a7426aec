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

/**
 * container_of and list_for_each_entry in expressions and crash's list, walking init_task.tasks
 * (2.4: runqueue_head) and kthread_create_list on every profile that has them.
 */
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

  @ParameterizedTest
  @MethodSource("profiles")
  void listForEachEntryGivesTheEntriesCrashsListWalks(Profile p) {
    Session s = withTaskList(p);
    Result walked = s.execute(Source.commandLine(1,
        "p list_for_each_entry(&init_task.tasks, struct task_struct, tasks)"));
    Object crash = s.execute(Source.commandLine(1, "list -H init_task.tasks -o task_struct.tasks")).json()
        .get("entries");
    assertThat(walked.json().get("value")).isEqualTo(crash);
    assertThat(walked.text().get(0)).matches("\\$1 = \\{0x[0-9a-f]+(, 0x[0-9a-f]+)+\\}");
    List<String> comms = new ArrayList<>();
    for (Object a : (List<?>) crash) {
      comms.add("\"" + run(s, "p ((struct task_struct *)" + a + ")->comm").get(0).split("\"")[1]
          + "\"");
    }
    assertThat(run(s, "p list_for_each_entry(init_task.tasks, struct task_struct, tasks)->comm"))
        .containsExactly("$" + (comms.size() + 2) + " = {" + String.join(", ", comms) + "}");
    assertThat(run(s, "p list_for_each_entry(&init_task.tasks, struct task_struct, tasks)[0]->pid"))
        .singleElement().asString().endsWith(" = 1");
    assertThat(run(s, "p $1[0] == container_of(init_task.tasks.next, struct task_struct, tasks)"))
        .singleElement().asString().endsWith(" = 1");
    assertThat(run(s, "whatis list_for_each_entry(&init_task.tasks, struct task_struct, tasks)"))
        .containsExactly("type = struct task_struct *[" + comms.size() + "]");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void on24TheTaskListIsPointersAndTheRunQueueIsTheList(Profile p) {
    Machine m = TestMachines.spawned(p);
    Assumptions.assumeFalse(m.struct("task_struct").hasPath("tasks"), "a list_head tasks");
    Session s = new Session(m);
    assertThatThrownBy(() -> run(s,
        "p list_for_each_entry(&init_task.tasks, struct task_struct, tasks)"))
        .hasMessageContaining("2.4 links the task list by pointers, not by a list_head");
    assertThat(run(s, "p list_for_each_entry(&runqueue_head, struct task_struct, run_list)->comm"))
        .containsExactly("$1 = {\"sh\"}");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void kthreadCreateListHoldsTheRequestKthreaddHasNotTakenYet(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    String list = "list_for_each_entry(&kthread_create_list, struct kthread_create_info, list)";
    if (s.machine().symbols().get("kthread_create_list") == null) { // 2.4, 2.6.11: no kthreadd
      assertThatThrownBy(() -> run(s, "p " + list)).hasMessageContaining("kthread_create_list");
      return;
    }
    assertThat(run(s, "p " + list)).containsExactly("$1 = {}");
    run(s, "break wake_up_process");
    run(s, "kthread worker");
    assertThat(run(s, "whatis " + list)).containsExactly("type = struct kthread_create_info *[1]");
    assertThat(run(s, "p " + list + "->threadfn")).singleElement().asString()
        .contains("<kstack_demo_thread>");
    assertThat(run(s, "p &" + list + "[0]->list == kthread_create_list.next"))
        .singleElement().asString().endsWith(" = 1");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void listForEachEntryNamesWhatIsWrong(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    assertThatThrownBy(() -> run(s, "p list_for_each_entry(&init_task, struct task_struct, x)"))
        .hasMessageContaining("the head must be a struct list_head or a pointer to one");
    String runList = s.machine().struct("task_struct").hasPath("tasks") ? "&init_task.tasks"
        : "&runqueue_head";
    assertThatThrownBy(() -> run(s, "p list_for_each_entry(" + runList + ", struct nosuch, x)"))
        .hasMessageContaining("no struct nosuch");
    String member = runList.equals("&init_task.tasks") ? "tasks" : "run_list";
    String all = "list_for_each_entry(" + runList + ", struct task_struct, " + member + ")";
    assertThatThrownBy(() -> run(s, "p " + all + "[999]"))
        .hasMessageContaining("index 999 is outside the list's");
    assertThatThrownBy(() -> run(s, "p " + all + " + 1"))
        .hasMessageContaining("the entries of a list have no scalar value");
  }
}
