package kstack.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Truncated, corrupt and hostile blobs: each is refused with one BtfException naming what is
 * wrong and at which byte, in time and memory bounded by the blob's size.
 */
class BtfHostileTest {
  static byte[] blob() {
    return Blobs.everyKind(ByteOrder.LITTLE_ENDIAN);
  }

  static void putInt(byte[] b, int at, long v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
  }

  static BtfException refused(byte[] b) {
    try {
      Btf.read(b);
    } catch (BtfException e) {
      return e;
    }
    return fail("accepted a hostile blob");
  }

  @Nested
  class TheHeader {
    @Test
    void withAWrongMagicIsRefusedAtByteZero() {
      byte[] b = blob();
      b[0] = 0x7f;
      BtfException e = refused(b);
      assertThat(e.offset()).isZero();
      assertThat(e.getMessage()).contains("bad magic 0x7feb");
    }

    @Test
    void cutShortIsRefusedWithItsLength() {
      assertThat(refused(Arrays.copyOf(blob(), 10)).getMessage()).contains("truncated header");
      assertThat(refused(new byte[0]).getMessage()).contains("truncated");
    }

    @Test
    void withATypeSectionPastTheEndIsRefusedAtItsOffsetField() {
      byte[] b = blob();
      putInt(b, 12, 0x7fffffff);
      BtfException e = refused(b);
      assertThat(e.offset()).isEqualTo(8);
      assertThat(e.getMessage()).contains("type section").contains("past the end");
    }

    @Test
    void withAnUnknownVersionIsRefused() {
      byte[] b = blob();
      b[2] = 2;
      assertThat(refused(b).getMessage()).contains("unsupported BTF version 2");
    }

    @Test
    void withoutATerminatedStringSectionIsRefused() {
      byte[] b = blob();
      b[b.length - 1] = 'x';
      assertThat(refused(b).getMessage()).contains("not NUL-terminated");
    }
  }

  @Nested
  class TheTypes {
    @Test
    void referringToATypeIdPastTheLastAreRefusedAtTheRecord() {
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
      w.integer("int", 4, true, 32);
      w.ref(BtfKind.PTR, "", 99);
      BtfException e = refused(w.bytes());
      assertThat(e.offset()).isEqualTo(24 + 16);
      assertThat(e.getMessage()).contains("refers to type id 99, past the last id 2");
    }

    @Test
    void thatLoopThroughTypedefsAreRefused() {
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
      w.ref(BtfKind.TYPEDEF, "a", 2);
      w.ref(BtfKind.CONST, "", 3);
      w.ref(BtfKind.TYPEDEF, "c", 1);
      assertThat(refused(w.bytes()).getMessage()).contains("loop");
    }

    @Test
    void thatChainDeeperThanTheLimitAreRefused() {
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
      w.integer("int", 4, true, 32);
      for (int i = 1; i <= BtfGraph.MAX_DEPTH + 1; i++) {
        w.ref(BtfKind.PTR, "", i);
      }
      assertThat(refused(w.bytes()).getMessage()).contains("more than " + BtfGraph.MAX_DEPTH);
    }

    @Test
    void withAHugeMemberCountAndNoDataAreRefusedWithoutAllocatingIt() {
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
      w.type("huge", 4, 0xffff, false, 8);
      BtfException e = refused(w.bytes());
      assertThat(e.getMessage()).contains("needs 786420 bytes");
      assertThat(e.offset()).isEqualTo(24 + 12);
    }

    @Test
    void ofAnUnknownKindAreRefused() {
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
      w.type("x", 31, 0, false, 0);
      assertThat(refused(w.bytes()).getMessage()).contains("unknown kind 31");
    }

    @Test
    void namedPastTheStringSectionAreRefused() {
      byte[] b = blob();
      putInt(b, 24, 0x7ffffff0);
      BtfException e = refused(b);
      assertThat(e.offset()).isEqualTo(24);
      assertThat(e.getMessage()).contains("past the string section");
    }

    @Test
    void whoseArraySizeOverflowsAreRefusedWhenSized() {
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
      w.integer("long int", 8, true, 64);
      w.array(1, 1, 0xffffffffL);
      w.array(2, 1, 0xffffffffL);
      Btf b = Btf.read(w.bytes());
      assertThatThrownBy(() -> b.sizeOf(3)).isInstanceOf(BtfException.class)
          .hasMessageContaining("larger than any address space");
    }
  }

  @Nested
  class MutatedBlobs {
    /**
     * Several thousand blobs made from the every-kind blob by flipping, overwriting, cutting and
     * duplicating bytes (seed printed on failure): each is read, or refused with a BtfException;
     * a blob that is read is then sized, named and walked member by member without any other
     * exception.
     */
    @Test
    void endInABtfExceptionOrAReadableBlobEveryTime() {
      long seed = 20261207L;
      Random r = new Random(seed);
      byte[] good = blob();
      int refused = 0;
      for (int i = 0; i < 5000; i++) {
        byte[] b = mutate(r, good);
        try {
          walk(Btf.read(b));
        } catch (BtfException e) {
          refused++;
          assertThat(e.getMessage()).as("seed %d blob %d", seed, i).startsWith("byte ");
        } catch (RuntimeException | StackOverflowError e) {
          fail("seed " + seed + " blob " + i + ": " + e, e);
        }
      }
      assertThat(refused).as("seed %d", seed).isBetween(100, 4999);
    }

    private byte[] mutate(Random r, byte[] good) {
      byte[] b = good.clone();
      switch (r.nextInt(5)) {
        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> {
          for (int k = r.nextInt(8) + 1; k > 0; k--) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
        case 3 -> putInt(b, 24 + 4 * r.nextInt((b.length - 24) / 4), r.nextInt(Blobs.COUNT + 3));
        default -> putInt(b, 4 * r.nextInt(6), r.nextLong() >>> r.nextInt(64));
      }
      return b;
    }

    private void walk(Btf b) {
      BtfNames names = new BtfNames(b);
      BtfMembers members = new BtfMembers(b);
      for (BtfType t : b.ownTypes()) {
        b.sizeOf(t.id());
        names.typeName(t.id());
        if (t instanceof BtfType.Composite c) {
          members.names(c.id());
          c.members().forEach(m -> members.find(c.id(), m.name()));
        }
      }
    }
  }
}
