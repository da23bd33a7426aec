package kstack.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The running kernel's BTF, where the kernel exports it (CONFIG_DEBUG_INFO_BTF: Debian's kernels
 * and this project's CI machines do). Skipped with the reason on a machine whose kernel has none.
 */
class HostBtfTest {
  static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
  private static Btf btf;

  @BeforeAll
  static void readTheHostsBtf() throws Exception {
    assumeTrue(Files.isReadable(VMLINUX), "this kernel exports no BTF at " + VMLINUX
        + " (built without CONFIG_DEBUG_INFO_BTF)");
    btf = Btf.read(Btf.load(VMLINUX));
  }

  @Test
  void holdsTensOfThousandsOfTypesWithTheHostsPointerSize() {
    assertThat(btf.count()).isGreaterThan(10_000);
    assertThat(btf.pointerSize()).isEqualTo(System.getProperty("os.arch").contains("64") ? 8 : 4);
  }

  @Test
  void hasTaskStructWithItsStackPointerAndPtRegs() {
    BtfType.Composite task = (BtfType.Composite) btf.find("task_struct", BtfKind.STRUCT)
        .orElseThrow();
    BtfMembers.Found stack = new BtfMembers(btf).find(task.id(), "stack").orElseThrow();
    assertThat(stack.size()).isEqualTo(btf.pointerSize());
    assertThat(btf.find("pt_regs", BtfKind.STRUCT)).isPresent();
  }

  @Test
  void listsPerCpuVariablesInsideTheirSection() {
    BtfType.DataSec sec = btf.dataSec(".data..percpu").orElseThrow();
    assertThat(sec.vars()).isNotEmpty();
    assertThat(sec.vars()).allSatisfy(v -> assertThat(v.offset() + v.size())
        .isLessThanOrEqualTo(sec.size()));
  }

  @Test
  void namesEveryTypeAndSizesEveryStruct() {
    BtfNames names = new BtfNames(btf);
    for (BtfType t : btf.ownTypes()) {
      assertThat(names.typeName(t.id())).isNotNull();
      if (t instanceof BtfType.Composite c) {
        assertThat(btf.sizeOf(c.id())).isEqualTo(c.size());
      }
    }
  }
}
