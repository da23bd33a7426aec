package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unboxed maps answer as a HashMap does through random puts and removes over few keys (long
 * probe chains, removals in their middle, the table grown many times), and a copy of an object
 * map is independent of its source.
 */
class LongKeyTableTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 20261208})
  void randomPutsAndRemovesAgreeWithAHashMap(long seed) {
    Random rnd = new Random(seed);
    LongLongMap longs = new LongLongMap();
    LongObjectMap<String> objects = new LongObjectMap<>(2);
    Map<Long, Long> model = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      long key = (rnd.nextInt(3000) - 1500) * 0x1000L; // aligned keys, as addresses are
      if (rnd.nextInt(3) == 0) {
        longs.put(key, 0);
        objects.remove(key);
        model.remove(key);
      } else {
        long v = 1 + rnd.nextInt(1_000_000);
        longs.put(key, v);
        objects.put(key, Long.toString(v));
        model.put(key, v);
      }
      long probe = (rnd.nextInt(3000) - 1500) * 0x1000L;
      assertThat(longs.get(probe)).isEqualTo(model.getOrDefault(probe, 0L));
      assertThat(objects.get(probe)).isEqualTo(model.containsKey(probe) ? model.get(probe).toString() : null);
    }
    assertThat(longs.size()).isEqualTo(model.size());
    assertThat(objects.size()).isEqualTo(model.size());
    Map<Long, String> seen = new HashMap<>();
    objects.forEach(seen::put);
    assertThat(seen).hasSize(model.size());
    model.forEach((k, v) -> assertThat(seen.get(k)).isEqualTo(v.toString()));
  }

  @org.junit.jupiter.api.Test
  void aCopyOfAnObjectMapChangesApartFromItsSource() {
    LongObjectMap<String> a = new LongObjectMap<>(4);
    for (long k = 0; k < 100; k++) {
      a.put(k, "a" + k);
    }
    LongObjectMap<String> b = a.copy();
    b.put(5, "b");
    b.remove(6);
    a.put(200, "a200");
    assertThat(a.get(5)).isEqualTo("a5");
    assertThat(a.get(6)).isEqualTo("a6");
    assertThat(b.get(5)).isEqualTo("b");
    assertThat(b.get(6)).isNull();
    assertThat(b.get(200)).isNull();
    assertThat(a.size()).isEqualTo(101);
    assertThat(b.size()).isEqualTo(99);
  }
}
