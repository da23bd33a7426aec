package kstack.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteJournalTest {
  /** A value of random magnitude: small ones (a pc moved by a step) as often as full words. */
  private static long value(Random r) {
    long v = r.nextLong();
    return r.nextBoolean() ? v >>> r.nextInt(64) : v;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234567})
  void varintsAndBytesComeBackNewestFirstExactlyAcrossSegmentBoundaries(long seed) {
    Random r = new Random(seed);
    ByteJournal j = new ByteJournal();
    int n = 400_000; // several 1 MiB segments, so values straddle their boundaries
    long[] pushed = new long[n];
    boolean[] isByte = new boolean[n];
    for (int i = 0; i < n; i++) {
      isByte[i] = r.nextInt(4) == 0;
      pushed[i] = isByte[i] ? r.nextInt(256) : value(r);
      if (isByte[i]) {
        j.push((int) pushed[i]);
      } else {
        j.pushVarint(pushed[i]);
      }
    }
    assertThat(j.size()).as("seed %d", seed).isGreaterThan(1 << ByteJournal.SEGMENT_SHIFT);
    ByteJournal.Reader reader = j.readerAt(j.size());
    for (int i = n - 1; i >= n / 2; i--) {
      long got = isByte[i] ? reader.next() : reader.nextVarint();
      assertThat(got).as("seed %d, entry %d read", seed, i).isEqualTo(pushed[i]);
    }
    for (int i = n - 1; i >= 0; i--) {
      long got = isByte[i] ? j.pop() : j.popVarint();
      assertThat(got).as("seed %d, entry %d popped", seed, i).isEqualTo(pushed[i]);
    }
    assertThat(j.size()).isZero();
  }

  @ParameterizedTest(name = "value {0}")
  @ValueSource(longs = {0, 1, 127, 128, 16383, 16384, -1, Long.MIN_VALUE, Long.MAX_VALUE})
  void aVarintTakesOneByteForEachSevenBitsItNeeds(long v) {
    ByteJournal j = new ByteJournal();
    j.pushVarint(v);
    int bits = 64 - Long.numberOfLeadingZeros(v);
    assertThat(j.size()).isEqualTo(Math.max(1, (bits + 6) / 7));
    assertThat(j.popVarint()).isEqualTo(v);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void truncatingThenPushingAgainReadsTheNewBytes(long seed) {
    Random r = new Random(seed);
    ByteJournal j = new ByteJournal();
    for (int i = 0; i < 1_500_000; i++) {
      j.push(r.nextInt(256));
    }
    j.truncate(1000);
    j.pushVarint(0x1234_5678_9abcL);
    assertThat(j.popVarint()).isEqualTo(0x1234_5678_9abcL);
    assertThat(j.size()).isEqualTo(1000);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 6, 7})
  void entriesPushedWholeReadBackAsTheirNumbersAndHeaderAcrossSegmentBoundaries(long seed) {
    Random r = new Random(seed);
    ByteJournal j = new ByteJournal();
    int n = 150_000; // entries of up to 31 bytes: several segments, entries straddle their ends
    long[][] pushed = new long[n][];
    for (int i = 0; i < n; i++) {
      int header = r.nextInt(256);
      pushed[i] = r.nextBoolean() ? new long[] {value(r), value(r), header}
          : new long[] {value(r), value(r), value(r), header};
      if (pushed[i].length == 3) {
        j.pushEntry(pushed[i][0], pushed[i][1], header);
      } else {
        j.pushEntry(pushed[i][0], pushed[i][1], pushed[i][2], header);
      }
    }
    assertThat(j.size()).isGreaterThan(2 << ByteJournal.SEGMENT_SHIFT);
    for (int i = n - 1; i >= 0; i--) {
      long[] e = pushed[i];
      assertThat(j.pop()).as("seed %d entry %d header", seed, i).isEqualTo(e[e.length - 1]);
      for (int k = e.length - 2; k >= 0; k--) {
        assertThat(j.popVarint()).as("seed %d entry %d number %d", seed, i, k).isEqualTo(e[k]);
      }
    }
    assertThat(j.size()).isZero();
  }
}
