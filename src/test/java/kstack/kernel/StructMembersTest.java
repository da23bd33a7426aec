package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.catalog.Profiles;
import kstack.layout.Member;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The struct member handles of the arches and the generic kernel (pt_regs, tss_struct,
 * inactive_task_frame, cpu_context, the workqueue and kthread structs) resolved once, when a
 * profile's kernel is built: each resolves on every profile to its layout's offset, under the
 * generation's own name, and a member a layout lacks is refused then, naming profile, struct and
 * member.
 */
class StructMembersTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  private static List<Class<? extends StructMember>> handles(Kernel k) {
    List<Class<? extends StructMember>> all = new ArrayList<>(k.arch.memberHandles(k.profile));
    all.addAll(List.of(CompletionMember.class, KthreadCreateInfoMember.class, WorkStruct.class,
        CpuWorkqueueStruct.class, WorkqueueStruct.class, InlineMacroRegs.class));
    return all;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyHandleOfTheProfileResolvesToItsLayoutsOffsetAndSize(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    int resolved = 0;
    for (Class<? extends StructMember> type : handles(k)) {
      for (StructMember m : type.getEnumConstants()) {
        StructLayout s = k.image.structs.get(m.struct());
        boolean present = s != null && List.of(m.paths()).stream().anyMatch(s::hasPath);
        if (m.required() && s != null) {
          assertThat(present).as(p.label() + " " + m.struct() + "." + m.paths()[0]).isTrue();
        }
        if (present) {
          Member r = m.in(k);
          assertThat(r.offset()).as(m.struct() + "." + r.path()).isEqualTo(s.offsetOfPath(r.path()));
          assertThat(r.size()).isEqualTo(s.fieldAtPath(r.path()).size());
          resolved++;
        }
      }
    }
    assertThat(resolved).as("pt_regs and more resolve on " + p.label()).isGreaterThan(10);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theArchsPtRegsHandlesAllResolve(Profile p) {
    Kernel k = Machine.create(p, 1).kernel();
    Class<? extends StructMember> ptRegs = k.arch.memberHandles(p).get(0);
    assertThat(ptRegs.getSimpleName()).isEqualTo("PtRegs");
    for (StructMember m : ptRegs.getEnumConstants()) {
      if (m.required()) {
        assertThat(m.off(k)).as(p.label() + " pt_regs." + m.paths()[0])
            .isLessThan(k.image.struct("pt_regs").size());
      }
    }
  }

  @Test
  void i386sOldNamesAreTheSameHandlesResolvedOnce() {
    Kernel old = Machine.create(Profiles.i386_2_4(), 1).kernel();
    Kernel now = Machine.create(Profiles.i386_2_6_32(), 1).kernel();
    assertThat(InlineMacroRegs.sp.in(old).path()).isEqualTo("esp");
    assertThat(InlineMacroRegs.sp.in(now).path()).isEqualTo("sp");
    assertThat(InlineMacroRegs.cs.in(old).path()).isEqualTo("xcs");
    assertThat(InlineMacroRegs.sp.off(old)).isEqualTo(52); // 2.4: ebx..eax, xds, xes, orig_eax, eip, xcs, eflags, then esp
    assertThat(InlineMacroRegs.sp.off(now)).isEqualTo(60); // two more words before it: fs and gs
  }

  @Test
  void aMissingMemberFailsAtResolutionNamingProfileStructAndMember() {
    Profile p = Profiles.x86_64_4_16();
    Types t = Machine.create(p, 1).kernel().t;
    StructLayout lacking = StructLayout.builder("completion", "test: no wait member")
        .add("done", t.u32).build();
    StructMembers members = new StructMembers(p, Map.of("completion", lacking));
    assertThatThrownBy(() -> members.resolve(CompletionMember.class))
        .hasMessage("the " + p.label() + " layout of struct completion lacks member 'wait.head'");
  }

  @Test
  void aMemberOnlyOtherGenerationsHaveIsRefusedByNameWhenRead() {
    Kernel k = Machine.create(Profiles.i386_2_6_32(), 1).kernel();
    assertThatThrownBy(() -> KthreadCreateInfoMember.started.off(k))
        .hasMessage("struct kthread_create_info has no member 'started' in the "
            + Profiles.i386_2_6_32().label() + " profile");
    assertThatThrownBy(() -> WorkStruct.func.off(k))
        .hasMessageContaining("struct work_struct has no member 'func'");
  }
}
