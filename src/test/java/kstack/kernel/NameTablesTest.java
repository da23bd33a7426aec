package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.catalog.Arches;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/** The tables that turn names into numbers once: system call names and per-CPU variable bases. */
class NameTablesTest {

  @Test
  void everySystemCallNumberNamesTheCallTheTableGivesIt() {
    for (Profile p : List.of(Profiles.x86_64_6_19(), Profiles.i386_2_4(), Profiles.arm64_6_19())) {
      Arch arch = Arches.forProfile(p);
      SyscallNames names = new SyscallNames(arch::syscallNumbers);
      for (var e : arch.syscallNumbers().entrySet()) {
        assertThat(arch.syscallNumbers().get(names.name(e.getValue()))).as(p.label() + " " + e)
            .isEqualTo(e.getValue());
      }
      assertThat(names.name(9999)).isEqualTo("syscall 9999");
      assertThat(names.name(-1)).isEqualTo("syscall -1");
    }
  }

  @Test
  void aNumberTwoNamesShareIsNamedByTheFirstInTheTable() {
    Map<String, Integer> table = new LinkedHashMap<>();
    table.put("newer", 3);
    table.put("older", 3);
    table.put("other", 1);
    SyscallNames names = new SyscallNames(() -> table);
    assertThat(names.name(3)).isEqualTo("newer");
    assertThat(names.name(1)).isEqualTo("other");
    assertThat(names.name(2)).isEqualTo("syscall 2");
  }

  @Test
  void aPerCpuBaseIsResolvedOnceAndFoundByAnEqualNameAsByTheSameLiteral() {
    List<String> asked = new ArrayList<>();
    NamedAddresses bases = new NamedAddresses(n -> {
      asked.add(n);
      return n.length() * 0x1000L;
    });
    for (int i = 0; i < 40; i++) { // past the first table's size: it grows
      assertThat(bases.of("var" + i)).isEqualTo(("var" + i).length() * 0x1000L);
    }
    assertThat(bases.of("current_task")).isEqualTo(12 * 0x1000L);
    assertThat(bases.of(new String("current_task"))).isEqualTo(12 * 0x1000L);
    for (int i = 0; i < 40; i++) {
      assertThat(bases.of("var" + i)).isEqualTo(("var" + i).length() * 0x1000L);
    }
    assertThat(asked).hasSize(41).doesNotHaveDuplicates();
  }

  @Test
  void aNameTheArchCannotResolveIsRefusedEachTimeAndNotRemembered() {
    NamedAddresses bases = new NamedAddresses(n -> {
      throw new IllegalArgumentException("no per-CPU variable " + n);
    });
    assertThatThrownBy(() -> bases.of("nope")).hasMessage("no per-CPU variable nope");
    assertThatThrownBy(() -> bases.of("nope")).hasMessage("no per-CPU variable nope");
  }
}
