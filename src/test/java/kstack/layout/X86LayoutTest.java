package kstack.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sizes and offsets from linux-facts.md §2, §6 and research §8 (computed there with gcc). */
class X86LayoutTest {
  static List<Profile> profiles() {
    return kstack.TestMachines.x86_64ThreadInfoInTask();
  }

  private static Map<String, StructLayout> structs(Profile p) {
    return Machine.create(p, 1).structs();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void ptRegsIs21ContiguousWordsFromR15ToSs(Profile p) {
    StructLayout r = structs(p).get("pt_regs");
    assertThat(r.size()).isEqualTo(168);
    assertThat(r.offset("r15")).isZero();
    assertThat(r.offset("bp")).isEqualTo(32);
    assertThat(r.offset("orig_ax")).isEqualTo(120);
    assertThat(r.offset("ip")).isEqualTo(128);
    assertThat(r.offset("sp")).isEqualTo(152);
    assertThat(r.offset("ss")).isEqualTo(160);
    int next = 0;
    for (Field f : r.fields()) {
      assertThat(f.offset()).as(f.name()).isEqualTo(next);
      next = f.end();
    }
    assertThat(next).isEqualTo(r.size());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void forkFrameIsTheSwitchFrameOverPtRegs(Profile p) {
    var s = structs(p);
    assertThat(s.get("inactive_task_frame").size()).isEqualTo(56);
    assertThat(s.get("inactive_task_frame").offset("ret_addr")).isEqualTo(48);
    assertThat(s.get("fork_frame").size()).isEqualTo(224);
    assertThat(s.get("fork_frame").offset("regs")).isEqualTo(56);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theHardwareTssIsPacked104Bytes(Profile p) {
    StructLayout t = structs(p).get("x86_hw_tss");
    assertThat(t.size()).isEqualTo(104);
    assertThat(t.offset("sp0")).isEqualTo(4);
    assertThat(t.offset("sp1")).isEqualTo(12);
    assertThat(t.offset("sp2")).isEqualTo(20);
    assertThat(t.offset("ist")).isEqualTo(36);
    assertThat(t.offset("io_bitmap_base")).isEqualTo(102);
  }

  @org.junit.jupiter.api.Test
  void tssStructIs12KiBOn416And20KiBOn619() {
    assertThat(structs(Profiles.x86_64_4_16()).get("tss_struct").size()).isEqualTo(12288);
    assertThat(structs(Profiles.x86_64_6_19()).get("tss_struct").size()).isEqualTo(20480);
  }

  @org.junit.jupiter.api.Test
  void threadInfoGrewFrom16To24BytesAndTookTheCpuNumber() {
    assertThat(structs(Profiles.x86_64_4_16()).get("thread_info").size()).isEqualTo(16);
    var ti = structs(Profiles.x86_64_6_19()).get("thread_info");
    assertThat(ti.size()).isEqualTo(24);
    assertThat(ti.has("cpu")).isTrue();
    assertThat(structs(Profiles.x86_64_6_19()).get("task_struct").has("cpu")).isFalse();
  }

  @org.junit.jupiter.api.Test
  void kthreadCreateInfoGainedFullNameFirst() {
    // int node is padded to 8 before the result pointer: 56 bytes, 64 with full_name
    assertThat(structs(Profiles.x86_64_4_16()).get("kthread_create_info").size()).isEqualTo(56);
    assertThat(structs(Profiles.x86_64_4_16()).get("kthread_create_info").offset("result"))
        .isEqualTo(24);
    var k = structs(Profiles.x86_64_6_19()).get("kthread_create_info");
    assertThat(k.size()).isEqualTo(64);
    assertThat(k.offset("full_name")).isZero();
  }

  @org.junit.jupiter.api.Test
  void taskStructKeepsThreadInfoFirstAndThreadLast() {
    for (Profile p : kstack.TestMachines.x86_64ThreadInfoInTask()) {
      StructLayout t = structs(p).get("task_struct");
      assertThat(t.offset("thread_info")).isZero();
      assertThat(t.fields().get(t.fields().size() - 1).name()).isEqualTo("thread");
      assertThat(t.offset("thread") + 24).isEqualTo(t.offsetOfPath("thread.sp"));
    }
  }
}
