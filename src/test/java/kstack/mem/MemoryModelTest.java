package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store with its lookup caches (region of a page, bytes of a chunk) against the plainest model
 * of memory there is: a map of bytes and a list of regions, under random mapping, unmapping, word
 * and byte-range accesses (many straddling chunks, pages and region ends), faults included.
 */
class MemoryModelTest {
  private static final long BASE = 0xffff_c900_0000_0000L;

  /** The reference: every byte by address, and the regions as a list searched linearly. */
  private static final class Model {
    final Map<Long, Byte> bytes = new HashMap<>();
    final List<Region> regions = new ArrayList<>();

    Region at(long a) {
      for (Region r : regions) {
        if (r.contains(a)) {
          return r;
        }
      }
      return null;
    }

    boolean ok(long a, int n) {
      for (int i = 0; i < n; i++) {
        Region r = at(a + i);
        if (r == null || r.isGuard()) {
          return false;
        }
      }
      return true;
    }

    long read(long a, int n) {
      long v = 0;
      for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | (bytes.getOrDefault(a + i, (byte) 0) & 0xFF);
      }
      return v;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 99, 2026})
  void everyAccessAgreesWithAPlainByteMapUnderRandomMappingAndAccess(long seed) {
    Random r = new Random(seed);
    Memory m = new Memory(0, "kernel");
    Model ref = new Model();
    // 64 slots of 3 pages each; a slot holds at most one region, of 1..3 pages, sometimes a guard
    Region[] slot = new Region[64];
    for (int op = 0; op < 60_000; op++) {
      int s = r.nextInt(slot.length);
      int kind = r.nextInt(100);
      if (kind < 4) {
        if (slot[s] != null) {
          m.unmap(slot[s]);
          ref.regions.remove(slot[s]);
          slot[s] = null;
        } else {
          long start = BASE + s * 3L * 4096 + r.nextInt(2) * 256;
          Region reg = new Region("r" + op, start, 4096L * (1 + r.nextInt(2)) - 256 * r.nextInt(2),
              r.nextInt(8) == 0 ? Region.Kind.GUARD : Region.Kind.STACK);
          m.map(reg);
          ref.regions.add(reg);
          slot[s] = reg;
        }
        continue;
      }
      long a = BASE + s * 3L * 4096 + r.nextInt(3 * 4096 + 16) - 8;
      int n = 1 << r.nextInt(4);
      boolean ok = ref.ok(a, n);
      String at = "seed " + seed + ", op " + op + ", 0x" + Long.toHexString(a) + "/" + n;
      if (kind < 50) {
        long v = r.nextBoolean() ? r.nextLong() : r.nextInt(3);
        boolean faulted = false;
        try {
          m.write(a, n, v);
        } catch (MemoryFault f) {
          faulted = true;
        }
        assertThat(faulted).as(at).isEqualTo(!ok);
        if (ok) {
          for (int i = 0; i < n; i++) {
            ref.bytes.put(a + i, (byte) (v >>> (8 * i)));
          }
        }
      } else if (kind < 85) {
        long got;
        try {
          got = m.read(a, n);
        } catch (MemoryFault f) {
          got = -1;
          assertThat(ok).as(at).isFalse();
        }
        if (ok) {
          assertThat(got).as(at).isEqualTo(ref.read(a, n));
        }
      } else {
        int len = 1 + r.nextInt(700);
        boolean rangeOk = ref.ok(a, len);
        if (kind < 93) {
          byte[] b = new byte[len];
          if (r.nextBoolean()) {
            r.nextBytes(b);
          }
          try {
            m.writeBytes(a, b);
            assertThat(rangeOk).as(at).isTrue();
            for (int i = 0; i < len; i++) {
              ref.bytes.put(a + i, b[i]);
            }
          } catch (MemoryFault f) {
            assertThat(rangeOk).as(at).isFalse();
          }
        } else {
          try {
            byte[] got = m.readBytes(a, len);
            assertThat(rangeOk).as(at).isTrue();
            for (int i = 0; i < len; i++) {
              assertThat(got[i]).as(at + " byte " + i).isEqualTo(ref.bytes.getOrDefault(a + i,
                  (byte) 0));
            }
          } catch (MemoryFault f) {
            assertThat(rangeOk).as(at).isFalse();
          }
        }
      }
    }
  }
}
