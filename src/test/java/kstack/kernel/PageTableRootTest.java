package kstack.kernel;

import static kstack.TestMachines.eval;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CR3 and TTBR0_EL1 hold what the CPU holds: the physical address of the mm's page-table root. */
class PageTableRootTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theMmRegisterHoldsThePhysicalAddressOfTheRunningMmsPgd(Profile p) {
    Machine m = Machine.create(p, 1);
    String reg = "$" + m.arch().mmRegister();
    long initMm = m.symbols().get("init_mm").address();
    // power-on: init_mm's root, a physical address below the kernel's virtual base
    long image = p.arch().equals("x86_64") ? 0xffffffff80000000L
        : p.arch().equals("i386") ? 0xc0000000L : m.inspector().constants().get("KIMAGE_VADDR") - 0x40000000L;
    assertThat(eval(m, reg)).isEqualTo(initMm - image);
    m.boot();
    m.spawn("sh");
    long mm = eval(m, "(unsigned long)current->mm");
    long pageOffset = m.inspector().constants().get("PAGE_OFFSET");
    long linear = p.arch().equals("arm64") ? 0x40000000L : 0;
    assertThat(eval(m, reg)).isEqualTo(
        (p.has(kstack.profile.Feature.ARM64_FLIPPED_VA) || !p.arch().equals("arm64")
            ? mm - pageOffset : mm & ~pageOffset) + linear & (p.arch().equals("i386")
            ? 0xffffffffL : -1L));
    assertThat(eval(m, reg + " == __pa(current->mm->pgd)")).isEqualTo(1);
    assertThat(eval(m, "virt_to_phys(&init_mm) == __pa(&init_mm)")).isEqualTo(1);
    // the register still selects the process's own user memory: its stack is readable
    assertThat(eval(m, "*(unsigned long *)$sp")).isNotNull();
    List<String> line = new Session(m).execute(Source.commandLine(1, "info registers "
        + m.arch().mmRegister())).text();
    assertThat(line).hasSize(1);
    assertThat(line.get(0)).contains(String.format("0x%x", eval(m, reg)))
        .contains(String.format("= __pa(0x%x), the pgd of mm 0x%x", mm, mm));
  }
}
