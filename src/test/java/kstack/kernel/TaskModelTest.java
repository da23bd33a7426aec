package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import kstack.catalog.Profiles;
import kstack.layout.StructLayout;
import kstack.machine.Machine;
import kstack.profile.Module;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The task accessors of every generation, through the task model the profile table picked. */
class TaskModelTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theProfileDeclaresTheFeaturesOfItsTaskModel(Profile p) {
    TaskModel model = p.module(TaskModel.class);
    assertThat(p.features()).containsAll(model.features());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void initTaskReadsBackThroughTheModelsMembers(Profile p) {
    Machine m = Machine.create(p, 1);
    Kernel k = m.kernel();
    TaskModel model = p.module(TaskModel.class);
    long it = k.image.symbol("init_task");
    StructLayout task = k.image.struct("task_struct");
    assertThat(task.has(model.stateField())).isTrue();
    assertThat(k.tasks.state(it)).isEqualTo(Kernel.TASK_RUNNING);
    assertThat(k.tasks.comm(it)).isEqualTo("swapper");
    assertThat(k.tasks.taskCpu(it)).isZero();
    k.tasks.setTaskCpu(it, 0);
    assertThat(k.tasks.realParent(it)).isEqualTo(it);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theEndOfStackSitsWhereTheGenerationPutsIt(Profile p) {
    Machine m = Machine.create(p, 1);
    Kernel k = m.kernel();
    TaskModel model = p.module(TaskModel.class);
    long it = k.image.symbol("init_task");
    long stack = k.stacks.stack(it);
    long end = k.stacks.endOfStack(it);
    if (model instanceof TaskUnion) {
      assertThat(stack).isEqualTo(it); // the task_union: task_struct at the stack's base
      assertThat(end).isGreaterThanOrEqualTo(it + k.image.struct("task_struct").size());
    } else if (model.threadInfoAtBase()) {
      assertThat(k.tasks.threadInfo(it)).isEqualTo(stack);
      assertThat(end).isEqualTo(stack + k.image.struct("thread_info").size());
    } else {
      assertThat(k.tasks.threadInfo(it)).isEqualTo(it + k.image.struct("task_struct").offset("thread_info"));
      assertThat(end).isEqualTo(stack);
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void eachGenerationNamesItsOwnMembers(Profile p) {
    StructLayout task = Machine.create(p, 1).kernel().image.struct("task_struct");
    TaskModel model = p.module(TaskModel.class);
    switch (p.version()) {
      case "6.19" -> {
        assertThat(model.stateField()).isEqualTo("__state");
        assertThat(task.has("state")).isFalse();
        assertThat(task.has("cpu")).isFalse(); // thread_info.cpu
      }
      case "2.6.11" -> {
        assertThat(model.stackMember()).isEqualTo("thread_info");
        assertThat(task.has("stack")).isFalse();
      }
      case "2.4.22" -> {
        assertThat(model.stackMember()).isNull();
        assertThat(task.has("processor")).isTrue();
      }
      default -> {
        assertThat(model.stateField()).isEqualTo("state");
        assertThat(task.has(model.stackMember())).isTrue();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theSavedStackPointerIsReadUnderTheGenerationsOwnName(Profile p) {
    if (p.arch().equals("arm64")) {
      return; // arm64 saves it in thread.cpu_context.sp, which its own code reads
    }
    Machine m = Machine.create(p, 1);
    Kernel k = m.kernel();
    long it = k.image.symbol("init_task");
    String expected = p.version().equals("2.4.22") || p.version().equals("2.6.11") ? "thread.esp"
        : "thread.sp";
    assertThat(k.tasks.member(TaskMember.thread_sp).path()).isEqualTo(expected);
    assertThat(k.tasks.threadSp(it)).isEqualTo(k.mem.read(it + k.image.struct("task_struct")
        .offsetOfPath(expected), k.t.word));
  }
}
