package kstack.trace;

/**
 * A store's journal entry: the difference (XOR) between the bytes it replaced and the bytes it
 * left, the distance from the previous store's address (zigzag: a small step down is small too),
 * the space's id unless it is the kernel's (0), and a header with {@link Timeline#MEM}, the width
 * less one in bits 2-4 and, in bit 5, whether a space id is there.
 */
final class StoreEntry {
  static final int OTHER_SPACE = 1 << 5;

  private StoreEntry() {}

  static void push(ByteJournal journal, int space, long delta, int size, long xor) {
    long zigzag = (delta << 1) ^ (delta >> 63);
    int header = Timeline.MEM | (size - 1) << 2;
    if (space == 0) {
      journal.pushEntry(xor, zigzag, header);
    } else {
      journal.pushEntry(xor, zigzag, space, header | OTHER_SPACE);
    }
  }
}
