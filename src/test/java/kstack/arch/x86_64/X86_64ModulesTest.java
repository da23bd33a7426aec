package kstack.arch.x86_64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.kernel.Kernel;
import kstack.machine.Machine;
import kstack.profile.Module;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/** x86_64's generation modules: asked for once when the arch is built, built in the table's order. */
class X86_64ModulesTest {
  private static long symbol(Machine m, String name) {
    Kernel k = m.kernel();
    return k.image.symbol(name);
  }

  @Test
  void aProfileWithoutAnX86_64MechanismIsRefusedWhenTheArchIsBuiltNamingTheMechanism() {
    Profile p = Profiles.x86_64_4_16();
    List<Module> withoutUnwinder = p.modules().stream().filter(m -> !(m instanceof Unwinder64))
        .toList();
    Profile missing = new Profile(p.arch(), p.kernel(), p.version(), p.features(), p.config(),
        withoutUnwinder);
    assertThatThrownBy(() -> new X86_64(missing)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unwinder64");
  }

  @Test
  void theMechanismsLinkInTheProfileTablesOrderFromTheEntryCodeToBoot() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    assertThat(symbol(m, "entry_SYSCALL_64")).isLessThan(symbol(m, "irq_entries_start"));
    assertThat(symbol(m, "irq_entries_start")).isLessThan(symbol(m, "paranoid_entry"));
    assertThat(symbol(m, "paranoid_entry")).isLessThan(symbol(m, "__switch_to"));
    assertThat(symbol(m, "__switch_to")).isLessThan(symbol(m, "startup_64"));
  }

  @Test
  void on2632TheNmiEntriesLinkAfterBootAndSysNiSyscallLast() {
    Machine m = Machine.create(Profiles.x86_64_2_6_32(), 1);
    assertThat(symbol(m, "system_call")).isLessThan(symbol(m, "irq_entries_start"));
    assertThat(symbol(m, "__switch_to")).isLessThan(symbol(m, "startup_64"));
    assertThat(symbol(m, "startup_64")).isLessThan(symbol(m, "save_paranoid"));
    assertThat(symbol(m, "save_paranoid")).isLessThan(symbol(m, "sys_ni_syscall"));
  }
}
