package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocked region index against a sorted map: tens of thousands of regions mapped upwards (as the
 * allocators map them), at random and unmapped again, across many blocks, with every lookup the
 * same; and a frozen index's copy changed without changing the original.
 */
class RegionIndexTest {
  private static final long BASE = 0xffff_8880_0000_0000L;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void everyLookupAgreesWithASortedMapUnderUpwardAndRandomMappingAndUnmapping(long seed) {
    Random r = new Random(seed);
    RegionIndex idx = new RegionIndex();
    TreeMap<Long, Region> ref = new TreeMap<>(Long::compareUnsigned);
    long next = BASE;
    for (int op = 0; op < 40_000; op++) {
      int what = r.nextInt(10);
      if (what < 5) {
        Region reg = new Region("r" + op, next, 4096, Region.Kind.DIRECT_MAP);
        next += 8192;
        idx.put(reg);
        ref.put(reg.start(), reg);
      } else if (what < 7) {
        long start = BASE + 8192L * r.nextInt(40_000) + 4096;
        Region reg = new Region("odd" + op, start, 4096, Region.Kind.STACK);
        idx.put(reg);
        ref.put(start, reg);
      } else if (what < 8 && !ref.isEmpty()) {
        Map.Entry<Long, Region> e = ref.floorEntry(BASE + (long) r.nextInt(40_000 * 8192));
        Region gone = e == null ? ref.firstEntry().getValue() : e.getValue();
        idx.remove(gone);
        ref.remove(gone.start());
      } else {
        long a = BASE + (long) r.nextInt(40_000 * 8192);
        Map.Entry<Long, Region> e = ref.floorEntry(a);
        assertThat(idx.atOrBelow(a)).isEqualTo(e == null ? null : e.getValue());
      }
    }
    assertThat(idx.all()).containsExactlyElementsOf(ref.values());
  }

  @ParameterizedTest(name = "{0} regions")
  @ValueSource(ints = {3, 1000})
  void aCopyOfAFrozenIndexChangesWithoutChangingTheOriginal(int n) {
    RegionIndex idx = new RegionIndex();
    for (int i = 0; i < n; i++) {
      idx.put(new Region("r" + i, BASE + 4096L * i, 4096, Region.Kind.USER));
    }
    idx.freeze();
    RegionIndex copy = idx.thaw();
    copy.remove(new Region("r1", BASE + 4096, 4096, Region.Kind.USER));
    copy.put(new Region("new", BASE - 4096, 4096, Region.Kind.USER));
    assertThat(idx.all()).hasSize(n);
    assertThat(idx.atOrBelow(BASE + 4096).name()).isEqualTo("r1");
    assertThat(idx.atOrBelow(BASE - 1)).isNull();
    assertThat(copy.atOrBelow(BASE + 4096).name()).isEqualTo("r0");
    assertThat(copy.atOrBelow(BASE - 1).name()).isEqualTo("new");
  }
}
