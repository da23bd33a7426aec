package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/**
 * The names steps capture when they are built (symbols, per-CPU variables, the syscall table) are
 * resolved when the image is linked: a step reads an address, and a wrong name fails the build.
 */
class LinkedAddressTest {

  @Test
  void aCapturedSymbolIsTheAddressTheLinkGaveItsName() {
    Kernel k = Machine.create(Profiles.x86_64_6_19(), 1).kernel();
    LinkedAddress start = k.image.ref("_start");
    LinkedAddress top = k.perCpuRef("cpu_current_top_of_stack");
    assertThatThrownBy(start::get).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("_start read before the image was linked");
    k.image.runDeferred();
    assertThat(start.get()).isEqualTo(k.image.symbol("_start"));
    assertThat(top.get()).isEqualTo(k.perCpuLink("cpu_current_top_of_stack"));
  }

  @Test
  void aCapturedNameTheImageLacksFailsTheBuildNamingIt() {
    Kernel k = Machine.create(Profiles.i386_6_19(), 1).kernel();
    k.image.ref("no_such_symbol");
    assertThatThrownBy(k.image::runDeferred).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no symbol no_such_symbol");
  }

  @Test
  void aJumpToCodeTheModelLeavesOutBuildsAndFailsNamingItOnlyWhenTaken() {
    kstack.machine.Machine m = Machine.create(Profiles.arm64_6_19(), 1);
    Kernel k = m.kernel();
    kstack.exec.Op defined = k.image.jumpIfDefined("ret_to_user");
    kstack.exec.Op missing = k.image.jumpIfDefined("no_such_handler");
    k.image.runDeferred();
    kstack.exec.Exec x = new kstack.exec.Exec(m, k.cpu(0));
    defined.exec(x);
    assertThat(k.cpu(0).pc()).isEqualTo(k.image.symbol("ret_to_user"));
    assertThatThrownBy(() -> missing.exec(x)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no symbol no_such_handler");
  }

  @Test
  void theSyscallTableGivesEachNumberItsHandlerAndAnEmptySlotTheNiSyscall() {
    for (Profile p : List.of(Profiles.x86_64_6_19(), Profiles.i386_2_4(), Profiles.arm64_6_19())) {
      Kernel k = Machine.create(p, 1).kernel();
      for (var e : k.image.sysCallTable.entrySet()) {
        assertThat(k.image.sysCallTarget(e.getKey(), "sys_ni_syscall")).as(p.label() + " " + e)
            .isEqualTo(k.image.symbol(e.getValue()));
      }
      String ni = k.image.sysCallTable.values().iterator().next();
      assertThat(k.image.sysCallTarget(-1, ni)).isEqualTo(k.image.symbol(ni));
      assertThat(k.image.sysCallTarget(99999, ni)).isEqualTo(k.image.symbol(ni));
    }
  }
}
