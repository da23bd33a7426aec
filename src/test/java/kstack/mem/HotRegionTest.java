package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The regions a store remembers for its next accesses answer exactly as the region map would: an
 * unmapped region faults at once, an access that runs past the remembered region's end is checked
 * against what lies beyond, and a guard mapped where a region was faults.
 */
class HotRegionTest {
  private static final long A = 0xffff880000000000L;
  private static final long B = 0xffffc90000000000L;
  private final Memory m = new Memory(0, "kernel");
  private final Region a = new Region("a", A, 4096, Region.Kind.DIRECT_MAP);
  private final Region b = new Region("b", B, 4096, Region.Kind.STACK);

  HotRegionTest() {
    m.map(a);
    m.map(b);
  }

  @Test
  void anUnmappedRegionFaultsEvenRightAfterAnAccessInIt() {
    m.write64(A + 8, 1);
    m.write64(B + 8, 2); // both remembered now
    m.unmap(a);
    assertThatThrownBy(() -> m.read64(A + 8)).isInstanceOf(MemoryFault.class);
    assertThat(m.read64(B + 8)).isEqualTo(2);
    m.unmap(b);
    assertThatThrownBy(() -> m.read64(B + 8)).isInstanceOf(MemoryFault.class);
  }

  @Test
  void aGuardMappedWhereTheRememberedRegionWasFaults() {
    m.read64(A);
    m.unmap(a);
    m.map(new Region("guard", A, 4096, Region.Kind.GUARD));
    assertThatThrownBy(() -> m.write64(A, 1)).isInstanceOf(MemoryFault.class)
        .hasMessageContaining("guard");
  }

  @Test
  void anAccessRunningPastTheEndOfARememberedRegionFaultsWhereNothingIsMapped() {
    m.read64(A + 4088);
    assertThatThrownBy(() -> m.read64(A + 4092)).isInstanceOf(MemoryFault.class);
    assertThatThrownBy(() -> m.read(A + 4095, 2)).isInstanceOf(MemoryFault.class);
    assertThat(m.read(A + 4095, 1)).isZero();
  }

  @Test
  void anAccessRunningIntoTheNextRegionIsAllowedWhereTheyTouch() {
    m.map(new Region("after a", A + 4096, 4096, Region.Kind.DIRECT_MAP));
    m.read64(A);
    m.write64(A + 4092, -1L);
    assertThat(m.read64(A + 4092)).isEqualTo(-1L);
  }
}
