package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import kstack.catalog.Profiles;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.machine.Machine;
import kstack.profile.Module;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The task_struct and thread_info members resolved once, when a profile's kernel is built: every
 * profile builds with every member its generation has, and a layout that lacks one is refused
 * then, naming the profile, the struct and the member.
 */
class TaskMembersTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyProfileBuildsWithEveryMemberItsGenerationHas(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    boolean union = p.module(TaskModel.class).taskStructInStack();
    for (TaskMember m : TaskMember.values()) {
      if (m.required(union)) {
        assertThat(k.tasks.has(m)).as(p.label() + " " + m.path()).isTrue();
      }
    }
    assertThat(k.tasks.has(TaskMember.flags)).isTrue();
  }

  /** The Where tags say the truth: a 2.6-on member is absent from 2.4's task_union and back. */
  @ParameterizedTest
  @MethodSource("profiles")
  void eachFamilysMembersAreAbsentFromTheOtherFamily(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    boolean union = p.module(TaskModel.class).taskStructInStack();
    for (TaskMember m : TaskMember.values()) {
      if (m.required(!union) && !m.required(union)) {
        assertThat(k.tasks.has(m)).as(p.label() + " " + m.path()).isFalse();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aResolvedMemberHasTheLayoutsOffsetAndSize(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    StructLayout ts = k.image.struct("task_struct");
    for (TaskMember m : TaskMember.values()) {
      if (k.tasks.has(m)) {
        assertThat(k.tasks.member(m).offset()).as(m.path()).isEqualTo(k.image.struct("task_struct")
            .offsetOfPath(k.tasks.member(m).path()));
        assertThat(k.tasks.member(m).size()).isEqualTo(ts.fieldAtPath(
            k.tasks.member(m).path()).size());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyMmStructMemberIsResolvedAtItsLayoutOffset(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    for (MmMember m : MmMember.values()) {
      assertThat(k.mm.off(m)).as(m.name()).isEqualTo(k.image.struct("mm_struct").offset(m.name()));
    }
  }

  @Test
  void aListedMemberMissingFromTheLayoutFailsWhenTheKernelIsBuilt() {
    Profile p = without(Profiles.x86_64_4_16(), "exit_state");
    assertThatThrownBy(() -> Machine.create(p, 1))
        .hasMessageContaining("x86_64 4.16")
        .hasMessageContaining("struct task_struct")
        .hasMessageContaining("'exit_state'");
  }

  @Test
  void aTaskUnionMemberMissingFromThe24LayoutFailsWhenTheKernelIsBuilt() {
    Profile p = without(Profiles.i386_2_4(), "p_cptr");
    assertThatThrownBy(() -> Machine.create(p, 1))
        .hasMessageContaining("i386 2.4")
        .hasMessageContaining("struct task_struct")
        .hasMessageContaining("'p_cptr'");
  }

  @Test
  void aMemberEveryGenerationHasMissingFailsOnAnyProfile() {
    Profile p = without(Profiles.arm64_6_19(), "tgid");
    assertThatThrownBy(() -> Machine.create(p, 1))
        .hasMessageContaining("arm64 6")
        .hasMessageContaining("struct task_struct has no member 'tgid'");
  }

  @Test
  void aMemberTheGenerationLacksIsRefusedNamingStructMemberAndProfile() {
    Kernel k = Machine.create(Profiles.i386_2_4(), 1).kernel();
    long it = k.image.symbol("init_task");
    assertThatThrownBy(() -> k.tasks.taskRead(it, TaskMember.exit_state))
        .hasMessage("struct task_struct has no member 'exit_state' in the "
            + Profiles.i386_2_4().label() + " profile");
    assertThatThrownBy(() -> k.tasks.tiOff(ThreadInfoMember.flags))
        .hasMessageContaining("struct thread_info has no member 'flags'");
  }

  @Test
  void theOldI386NamesAreResolvedOnceToTheGenerationsOwnMember() {
    Kernel k = Machine.create(Profiles.i386_2_6_11(), 1).kernel();
    assertThat(k.tasks.member(TaskMember.thread_sp).path()).isEqualTo("thread.esp");
    assertThat(k.tasks.off(TaskMember.thread_sp)).isEqualTo(k.tasks.off(TaskMember.thread_esp));
  }

  /** The profile with a task model whose task_struct lacks one member, every other kept in place. */
  private static Profile without(Profile base, String member) {
    TaskModel real = base.module(TaskModel.class);
    TaskModel lacking = (TaskModel) Proxy.newProxyInstance(TaskModel.class.getClassLoader(),
        new Class<?>[] {TaskModel.class}, (proxy, method, args) -> {
          if (method.getName().equals("taskStruct")) {
            @SuppressWarnings("unchecked")
            Map<String, StructLayout> arch = (Map<String, StructLayout>) args[1];
            return drop(real.taskStruct((Types) args[0], arch, (StructLayout) args[2],
                (String) args[3]), member);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    List<Module> modules = base.modules().stream()
        .map(mod -> mod instanceof TaskModel ? (Module) lacking : mod).toList();
    return new Profile(base.arch(), base.kernel(), base.version(), base.features(), base.config(),
        modules);
  }

  private static StructLayout drop(StructLayout s, String member) {
    StructLayout.Builder b = StructLayout.builder(s.name(), s.source());
    for (Field f : s.fields()) {
      if (!f.name().equals(member)) {
        b.gap(f.offset()).add(f.name(), f.type(), f.note());
      }
    }
    return b.minSize(s.size()).build();
  }
}
