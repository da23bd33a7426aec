package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.machine.Machine;
import kstack.mem.Region;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** Kernel config options that change stack layouts. */
class ConfigTest {
  @Test
  void kasanDoublesThreadSize() {
    Machine m = Machine.create(Profiles.x86_64_4_16().withConfig("KASAN", true), 1);
    m.boot();
    assertThat(m.kernel().threadSize).isEqualTo(32768);
    long s = m.kernel().stacks.stack(m.inspector().findTaskByVpid(1));
    assertThat(s % 32768).isZero();
    assertThat(m.inspector().taskPtRegs(m.inspector().findTaskByVpid(1))).isEqualTo(s + 32768 - 168);
  }

  @Test
  void withoutVmapStackTheStackComesFromTheDirectMapWithoutAGuardPage() {
    Machine m = Machine.create(Profiles.x86_64_6_19().withConfig("VMAP_STACK", false), 1);
    m.boot();
    long s = m.kernel().stacks.stack(m.inspector().findTaskByVpid(1));
    Region r = m.kernelMemory().regionAt(s);
    assertThat(r.kind()).isEqualTo(Region.Kind.DIRECT_MAP);
    assertThat(Long.toHexString(s)).startsWith("ffff888");
    assertThat(m.kernelMemory().regionAt(s + m.kernel().threadSize)).isNotNull()
        .matches(x -> !x.isGuard());
  }

  @Test
  void vmappedStacksHaveAGuardPageAfterThem() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    long s = m.kernel().stacks.stack(m.inspector().findTaskByVpid(1));
    assertThat(m.kernelMemory().regionAt(s + m.kernel().threadSize).isGuard()).isTrue();
  }

  @Test
  void fredPutsSixteenBytesOfPaddingAbovePtRegsOn619() {
    Machine m = Machine.create(Profiles.x86_64_6_19().withConfig("X86_FRED", true), 1);
    m.boot();
    m.spawn("sh");
    long t = m.current();
    long regs = m.inspector().taskPtRegs(t);
    assertThat(regs).isEqualTo(m.kernel().stacks.stack(t) + 16384 - 16 - 168);
    assertThat(m.symbols().get("__top_init_kernel_stack").address())
        .isEqualTo(m.symbols().get("__end_init_stack").address() - 16 - 168);
    long userRsp = m.cpu(0).get("rsp");
    m.addBreakpoint("do_syscall_64");
    m.syscall("getpid", List.of());
    assertThat(m.kernelMemory().read64(regs + m.struct("pt_regs").offset("sp"))).isEqualTo(userRsp);
    m.deleteBreakpoints();
    m.continueRun();
    assertThat(m.cpu(0).get("rax")).isEqualTo(3);
  }

  @Test
  void fredIsNotAnOptionOf416() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> Profiles.x86_64_4_16().withConfig("X86_FRED", true))
        .hasMessageContaining("unknown config option CONFIG_X86_FRED");
  }

  @Test
  void spawnOnASecondCpuRunsThereOnItsOwnStack() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 2);
    m.boot();
    m.selectCpu(1);
    m.spawn("sh");
    assertThat(m.kernel().tasks.pid(m.kernel().current(1))).isEqualTo(3);
    assertThat(m.kernel().tasks.taskCpu(m.inspector().findTaskByVpid(3))).isEqualTo(1);
    m.syscall("getpid", List.of());
    assertThat(m.cpu(1).get("rax")).isEqualTo(3);
  }
}
