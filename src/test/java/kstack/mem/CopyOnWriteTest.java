package kstack.mem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The page store's sparseness and fork's copy-on-write: untouched bytes read as zero and cost no
 * chunk; a copy shares its parent's bytes until one of them writes, and each then sees only its
 * own writes; undoing a store's writes across the copy a write made restores it byte for byte.
 */
class CopyOnWriteTest {
  private static final long STACK = 0x7fff_ffde_f000L;
  private static final Region USER_STACK = new Region("[stack]", STACK, 0x21000, Region.Kind.USER);

  /** A journal as the timeline keeps one: each store's old value, undone newest first. */
  private static final class Journal implements Memory.Recorder {
    private record Change(Memory space, long addr, byte[] old) {}

    private final Deque<Change> changes = new ArrayDeque<>();

    @Override
    public void memoryChanged(Memory space, long addr, int size, long oldValue, long newValue) {
      byte[] b = new byte[size];
      for (int i = 0; i < size; i++) {
        b[i] = (byte) (oldValue >>> (8 * i));
      }
      changes.push(new Change(space, addr, b));
    }

    @Override
    public void memoryChanged(Memory space, long addr, byte[] oldBytes, byte[] newBytes) {
      changes.push(new Change(space, addr, oldBytes));
    }

    void undoAll() {
      while (!changes.isEmpty()) {
        Change c = changes.pop();
        c.space().pokeBytes(c.addr(), c.old());
      }
    }
  }

  private static Memory parent() {
    Memory m = new Memory(1, "mm of sh");
    m.map(USER_STACK);
    for (int i = 0; i < 64; i++) {
      m.write64(STACK + 0x20000 + 8L * i, 0x1111_0000L + i);
    }
    return m;
  }

  @Test
  void untouchedBytesReadAsZeroAndCostNoChunk() {
    Memory m = new Memory(1, "mm 0x", 0xffff_8880_1000_0000L);
    m.map(USER_STACK);
    assertThat(m.read64(STACK)).isZero();
    assertThat(m.readBytes(STACK + 0x1ff0, 64)).containsOnly(0);
    assertThat(m.chunkCount()).isZero();
    assertThat(m.label()).isEqualTo("mm 0xffff888010000000");
  }

  @Test
  void aCopySharesItsParentsBytesUntilEitherWritesAndThenEachSeesOnlyItsOwnWrites() {
    Memory parent = parent();
    Memory child = new Memory(2, "child");
    parent.copyInto(child);
    assertThat(child.regions()).containsExactly(USER_STACK);
    assertThat(child.contentHash()).isEqualTo(parent.contentHash());
    long a = STACK + 0x20000;
    parent.write64(a, 0xAAAA);
    assertThat(child.read64(a)).isEqualTo(0x1111_0000L);
    child.write64(a + 8, 0xBBBB);
    assertThat(parent.read64(a + 8)).isEqualTo(0x1111_0001L);
    assertThat(parent.read64(a)).isEqualTo(0xAAAA);
    assertThat(child.read64(a + 8)).isEqualTo(0xBBBB);
    assertThat(child.read64(a + 16)).as("an unwritten word of a copied chunk").isEqualTo(0x1111_0002L);
    Memory grandchild = new Memory(3, "grandchild");
    child.copyInto(grandchild);
    child.write64(a + 16, 0xCCCC);
    assertThat(grandchild.read64(a + 16)).isEqualTo(0x1111_0002L);
    assertThat(grandchild.read64(a + 8)).isEqualTo(0xBBBB);
    assertThat(parent.read64(a + 16)).isEqualTo(0x1111_0002L);
  }

  @Test
  void mappingInACopyLeavesTheParentsRegionsAlone() {
    Memory parent = parent();
    Memory child = new Memory(2, "child");
    parent.copyInto(child);
    Region heap = new Region("[heap]", 0x60_0000, 0x1000, Region.Kind.USER);
    child.map(heap);
    assertThat(parent.regionAt(0x60_0000)).isNull();
    assertThat(child.regionAt(0x60_0000)).isEqualTo(heap);
  }

  @Test
  void undoingEveryWriteAfterTheCopyRestoresBothStoresByteForByte() {
    Random r = new Random(7);
    Memory parent = parent();
    Memory child = new Memory(2, "child");
    parent.copyInto(child);
    byte[] before = parent.readBytes(STACK, (int) USER_STACK.size());
    long hash = parent.contentHash();
    Journal j = new Journal();
    parent.setRecorder(j);
    child.setRecorder(j);
    for (int i = 0; i < 2000; i++) {
      Memory m = r.nextBoolean() ? parent : child;
      long at = STACK + r.nextInt((int) USER_STACK.size() - 64);
      if (r.nextInt(4) == 0) {
        byte[] b = new byte[1 + r.nextInt(40)];
        r.nextBytes(b);
        m.writeBytes(at, b);
      } else {
        m.write(at, 1 << r.nextInt(4), r.nextLong());
      }
    }
    j.undoAll();
    assertThat(parent.readBytes(STACK, (int) USER_STACK.size())).isEqualTo(before);
    assertThat(child.readBytes(STACK, (int) USER_STACK.size())).isEqualTo(before);
    assertThat(parent.contentHash()).isEqualTo(hash);
    assertThat(child.contentHash()).isEqualTo(hash);
  }
}
