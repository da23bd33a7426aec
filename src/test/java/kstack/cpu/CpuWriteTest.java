package kstack.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a register write stores: truncated to the set's width, and into the banked stack pointer. */
class CpuWriteTest {
  private static RegisterSet set() {
    return new RegisterSet(List.of("sp", "fp", "pc", "r0", "mode", "usp"), "sp", "fp", "pc", "r0",
        List.of("r0"), List.of("fp"));
  }

  @Test
  void aNarrowSetKeepsOnlyItsWidthOfEveryWrite() {
    Cpu cpu = new Cpu(0, set().width(4));
    cpu.set(cpu.registers().of("r0"), -1L);
    cpu.set(cpu.registers().sp, 0x1_2345_6789L);
    assertThat(cpu.get("r0")).isEqualTo(0xffff_ffffL);
    assertThat(cpu.sp()).isEqualTo(0x2345_6789L);
  }

  @Test
  void aStackPointerWriteLandsInTheBankedRegisterOnlyInItsMode() {
    Cpu cpu = new Cpu(0, set().bankSp("mode", 0xf, 0, "usp"));
    RegisterSet r = cpu.registers();
    cpu.set(r.sp, 0x1000); // mode 0: the banked mode
    assertThat(cpu.get("usp")).isEqualTo(0x1000);
    cpu.set(r.of("mode"), 5);
    cpu.set(r.sp, 0x2000);
    assertThat(cpu.get("usp")).isEqualTo(0x1000);
    assertThat(cpu.sp()).isEqualTo(0x2000);
  }

  @Test
  void aSetThatBanksNothingWritesOnlyTheStackPointer() {
    Cpu cpu = new Cpu(0, set());
    cpu.set(cpu.registers().sp, 0x3000);
    assertThat(cpu.sp()).isEqualTo(0x3000);
    assertThat(cpu.get("usp")).isZero();
  }
}
