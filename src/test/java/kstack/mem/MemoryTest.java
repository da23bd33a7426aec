package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryTest {
  private final Memory m = new Memory(0, "kernel");

  @Test
  void bytesAreLittleEndianAndZeroUntilWritten() {
    m.map(new Region("data", 0xffff880000000000L, 4096, Region.Kind.DIRECT_MAP));
    assertThat(m.read64(0xffff880000000100L)).isZero();
    m.write64(0xffff880000000100L, 0x1122334455667788L);
    assertThat(m.read(0xffff880000000100L, 1)).isEqualTo(0x88);
    assertThat(m.read(0xffff880000000107L, 1)).isEqualTo(0x11);
  }

  @Test
  void writingZeroToAnUntouchedChunkAllocatesNothing() {
    m.map(new Region("stack", 0xffffc90000000000L, 16384, Region.Kind.STACK));
    m.zero(0xffffc90000000000L, 16384);
    assertThat(m.chunkCount()).isZero();
    m.write64(0xffffc90000003ff8L, 1);
    assertThat(m.chunkCount()).isEqualTo(1);
  }

  @Test
  void readingAnUnmappedAddressIsAFaultNotAJavaError() {
    assertThatThrownBy(() -> m.read64(0x3f)).isInstanceOf(MemoryFault.class)
        .hasMessageContaining("unmapped address 0x3f");
  }

  @Test
  void touchingAGuardPageNamesIt() {
    m.map(new Region("guard page after kernel stack", 0xffffc90000004000L, 4096, Region.Kind.GUARD));
    assertThatThrownBy(() -> m.write64(0xffffc90000004000L, 1)).isInstanceOf(MemoryFault.class)
        .hasMessageContaining("guard page 0xffffc90000004000");
  }

  @Test
  void anAccessThatRunsOffTheEndOfARegionFaults() {
    m.map(new Region("a", 0x1000, 16, Region.Kind.USER));
    assertThatThrownBy(() -> m.read64(0x100c)).isInstanceOf(MemoryFault.class);
  }

  @Test
  void aRegionNamedByPrefixAndAddressIsTheRegionNamedInFull() {
    Region lazy = Region.named("kernel stack of task_struct 0x", 0xffff888010027000L,
        0xffffc90000010000L, 16384, Region.Kind.STACK);
    Region full = new Region("kernel stack of task_struct 0xffff888010027000",
        0xffffc90000010000L, 16384, Region.Kind.STACK);
    assertThat(lazy).isEqualTo(full).hasSameHashCodeAs(full).hasToString(full.toString());
    assertThat(lazy.name()).isEqualTo(full.name());
    assertThat(full.renamed("kernel stack (free, in cached_stacks)", 0).name())
        .isEqualTo("kernel stack (free, in cached_stacks)");
  }
}
