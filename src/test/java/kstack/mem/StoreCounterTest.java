package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A store counter counts every change of its bytes and of the region map, and nothing else. */
class StoreCounterTest {
  private static final long BASE = 0xffff880000000000L;
  private final Memory m = new Memory(0, "kernel");
  private final StoreCounter c = new StoreCounter(BASE + 0x100, 4);

  StoreCounterTest() {
    m.map(new Region("data", BASE, 4096, Region.Kind.DIRECT_MAP));
    m.countStores(c);
  }

  @Test
  void aStoreOverlappingTheCountedBytesCountsAndOneBesideThemDoesNot() {
    m.write(BASE + 0xfc, 4, 7); // just below
    m.write(BASE + 0x104, 8, 7); // just above
    assertThat(c.changes()).isZero();
    m.write(BASE + 0xfd, 4, 0xff000000L); // its last byte is the first counted one
    m.write(BASE + 0x103, 1, 1);
    m.write64(BASE + 0x100, 2);
    assertThat(c.changes()).isEqualTo(3);
  }

  @Test
  void aStoreOfTheValueAlreadyThereChangesNothingAndIsNotCounted() {
    m.write(BASE + 0x100, 4, 0);
    assertThat(c.changes()).isZero();
  }

  @Test
  void memcpyMemsetAndRawStoresOverTheBytesCount() {
    m.write64(BASE + 0x200, -1L);
    m.copy(BASE + 0xfe, BASE + 0x200, 8);
    m.zero(BASE + 0x80, 0x100);
    m.poke(BASE + 0x102, 2, 9); // the timeline undoing or redoing a store
    m.pokeBytes(BASE + 0x100, new byte[] {1});
    assertThat(c.changes()).isEqualTo(4);
  }

  @Test
  void mappingOrUnmappingARegionCounts() {
    Region r = new Region("other", BASE + 0x10000, 4096, Region.Kind.DIRECT_MAP);
    m.map(r);
    m.unmap(r);
    assertThat(c.changes()).isEqualTo(2);
  }

  @Test
  void aCounterReplacedByAnotherCountsNoMore() {
    StoreCounter next = new StoreCounter(BASE + 0x100, 4);
    m.countStores(next);
    m.write(BASE + 0x100, 4, 5);
    assertThat(c.changes()).isZero();
    assertThat(next.changes()).isEqualTo(1);
    assertThat(m.storeCounter()).isSameAs(next);
  }
}
