package kstack.arch.arm64;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/** The arm64 generation modules the profile table picks, and the facts each one carries. */
class Arm64ModulesTest {
  private static final Profile V416 = Profiles.arm64_4_16();
  private static final Profile V619 = Profiles.arm64_6_19();

  @Test
  void theTablePicksTheEntryModulesByTheFeaturesTheyDeclare() {
    assertThat(V416.module(ExceptionEntry.class)).isInstanceOf(EntryAsm416.class);
    assertThat(V416.module(SyscallDispatch.class)).isInstanceOf(SvcSysCallTable416.class);
    assertThat(V416.module(IrqEntry.class)).isInstanceOf(IrqStackEntry416.class);
    assertThat(V619.module(ExceptionEntry.class)).isInstanceOf(EntryCommon619.class);
    assertThat(V619.module(SyscallDispatch.class)).isInstanceOf(SvcInvokeSyscall619.class);
    assertThat(V619.module(IrqEntry.class)).isInstanceOf(IrqCallOnIrqStack619.class);
    for (Profile p : Profiles.of("arm64")) {
      boolean c = p.has(Feature.ARM64_ENTRY_COMMON);
      assertThat(p.module(ExceptionEntry.class).features().contains(Feature.ARM64_ENTRY_COMMON))
          .as(p.label()).isEqualTo(c);
      assertThat(p.module(FrameRecord.class).features()
          .contains(Feature.ARM64_FINAL_FRAME_RECORD)).as(p.label())
          .isEqualTo(p.has(Feature.ARM64_FINAL_FRAME_RECORD));
    }
  }

  @Test
  void theArm64FeaturesAProfileReportsComeOnlyFromItsModules() {
    assertThat(V416.features()).doesNotContain(Feature.ARM64_ENTRY_COMMON,
        Feature.ARM64_FINAL_FRAME_RECORD, Feature.ARM64_FLIPPED_VA, Feature.SYSCALL_PTREGS_WRAPPERS);
    assertThat(V619.features()).contains(Feature.ARM64_ENTRY_COMMON,
        Feature.ARM64_FINAL_FRAME_RECORD, Feature.ARM64_FLIPPED_VA, Feature.SYSCALL_PTREGS_WRAPPERS);
  }

  @Test
  void theVectorSlotsNameEachGenerationsSyncAndIrqEntries() {
    ExceptionEntry old = new EntryAsm416();
    ExceptionEntry now = new EntryCommon619();
    assertThat(old.vectors()).hasSize(16);
    assertThat(now.vectors()).hasSize(16);
    assertThat(List.of(old.el0Sync(), old.el0Irq(), old.el1Irq()))
        .containsExactly("el0_sync", "el0_irq", "el1_irq");
    assertThat(List.of(now.el0Sync(), now.el0Irq(), now.el1Irq()))
        .containsExactly("el0t_64_sync", "el0t_64_irq", "el1h_64_irq");
  }

  @Test
  void thePtRegsFrameRecordSitsAt304On416And296On619() {
    Types t = new Types(8);
    assertThat(Arm64Layouts.build(V416, t, new LayoutLinearMapHigh416()).get("pt_regs")
        .offset("stackframe")).isEqualTo(304);
    assertThat(Arm64Layouts.build(V619, t, new LayoutFlippedVa619()).get("pt_regs")
        .offset("stackframe")).isEqualTo(296);
  }

  @Test
  void theLinearMapIsInTheUpperHalfOn416AndTheLowerOn619() {
    assertThat(Arm64Layouts.constants(V416, new LayoutLinearMapHigh416()))
        .containsEntry("PAGE_OFFSET", 0xffff800000000000L).containsEntry("S_FRAME_SIZE", 320L);
    assertThat(Arm64Layouts.constants(V619, new LayoutFlippedVa619()))
        .containsEntry("PAGE_OFFSET", 0xffff000000000000L).containsEntry("PT_REGS_SIZE", 320L);
  }

  @Test
  void onlyThe619DispatchNamesPtRegsWrappersAndAddsClone3() {
    assertThat(new SvcSysCallTable416().syscallSymbol("read", 3)).isEqualTo("SyS_read");
    assertThat(new SvcSysCallTable416().niSyscall()).isEqualTo("sys_ni_syscall");
    assertThat(new SvcInvokeSyscall619().syscallSymbol("read", 3)).isEqualTo("__arm64_sys_read");
    assertThat(new SvcInvokeSyscall619().niSyscall()).isEqualTo("__arm64_sys_ni_syscall");
    assertThat(new Arm64(V416).syscallNumbers()).doesNotContainKey("clone3");
    assertThat(new Arm64(V619).syscallNumbers()).containsEntry("clone3", 435);
  }
}
