package kstack.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * arm64 sizes and offsets as the entry code's asm-offsets name them (research arm64.md §1, §3.4;
 * arch/arm64/kernel/asm-offsets.c@4.16.13:51-81 and @6.19).
 */
class Arm64LayoutTest {
  static List<Profile> profiles() {
    return Profiles.of("arm64");
  }

  private static Machine machine(Profile p) {
    return Machine.create(p, 1);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void ptRegsKeepsTheUserRegistersAtTheOffsetsKernelEntryStoresThem(Profile p) {
    StructLayout r = machine(p).struct("pt_regs");
    assertThat(r.size()).as("PT_REGS_SIZE / S_FRAME_SIZE").isEqualTo(320);
    assertThat(r.offset("regs")).as("S_X0").isZero();
    assertThat(r.offset("sp")).as("S_SP").isEqualTo(248);
    assertThat(r.offset("pc")).as("S_PC").isEqualTo(256);
    assertThat(r.offset("pstate")).as("S_PSTATE").isEqualTo(264);
    assertThat(r.offset("orig_x0")).as("S_ORIG_X0").isEqualTo(272);
    assertThat(r.offset("syscallno")).as("S_SYSCALLNO").isEqualTo(280);
  }

  @Test
  void on416StackframeIsTwoWordsAt304AfterTheAddrLimitSlot() {
    StructLayout r = machine(Profiles.arm64_4_16()).struct("pt_regs");
    assertThat(r.offset("orig_addr_limit")).as("S_ORIG_ADDR_LIMIT").isEqualTo(288);
    assertThat(r.offset("stackframe")).as("S_STACKFRAME").isEqualTo(304);
  }

  @Test
  void on619StackframeIsATypedMetaRecordAt296() {
    Machine m = machine(Profiles.arm64_6_19());
    StructLayout r = m.struct("pt_regs");
    assertThat(r.offset("pmr")).as("S_PMR").isEqualTo(284);
    assertThat(r.offset("sdei_ttbr1")).as("S_SDEI_TTBR1").isEqualTo(288);
    assertThat(r.offset("stackframe")).as("S_STACKFRAME").isEqualTo(296);
    assertThat(r.offsetOfPath("stackframe.type")).as("S_STACKFRAME_TYPE").isEqualTo(312);
    assertThat(m.struct("frame_record_meta").size()).isEqualTo(24);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void cpuContextHoldsX19ToX28FpSpPcAndOpensThreadStruct(Profile p) {
    Machine m = machine(p);
    StructLayout c = m.struct("cpu_context");
    assertThat(c.size()).isEqualTo(13 * 8);
    assertThat(c.offset("x19")).isZero();
    assertThat(c.offset("fp")).isEqualTo(80);
    assertThat(c.offset("sp")).isEqualTo(88);
    assertThat(c.offset("pc")).isEqualTo(96);
    assertThat(m.struct("thread_struct").offset("cpu_context")).isZero();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void stacksAre16KiBAlignedToTwiceTheirSizeUnderVmapStack(Profile p) {
    Machine m = machine(p);
    assertThat(m.kernel().image.constant("THREAD_SIZE")).isEqualTo(16384);
    assertThat(m.kernel().image.constant("THREAD_ALIGN")).isEqualTo(32768);
    assertThat(m.kernel().image.constant("OVERFLOW_STACK_SIZE")).isEqualTo(4096);
    assertThat(m.kernel().image.constant("TOP_OF_KERNEL_STACK_PADDING")).isZero();
  }
}
