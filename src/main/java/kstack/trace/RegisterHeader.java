package kstack.trace;

/**
 * The header byte of a register write in the journal: the kind ({@link Timeline#REG}) in its low
 * two bits and, for CPU 0 or 1 and a register below 32 (every register the syscall and switch
 * paths touch), both packed in its top six bits as cpu &lt;&lt; 5 | reg, sparing the number that
 * would name them. {@link #WIDE} there says the cpu and register follow as one number,
 * cpu &lt;&lt; 16 | reg.
 */
final class RegisterHeader {
  static final int WIDE = 63;

  private RegisterHeader() {}

  static int of(int cpu, int reg) {
    int packed = cpu << 5 | reg;
    boolean fits = cpu >= 0 && cpu < 2 && reg >= 0 && reg < 32 && packed != WIDE;
    return Timeline.REG | (fits ? packed : WIDE) << 2;
  }

  /** Whether the cpu and register follow the header as a number. */
  static boolean wide(int header) {
    return header >>> 2 == WIDE;
  }

  /** The cpu &lt;&lt; 16 | register a packed header names. */
  static long where(int header) {
    int packed = header >>> 2;
    return (long) (packed >>> 5) << 16 | (packed & 31);
  }

  /** Journals a register write: cpu's register reg changed by xor. */
  static void push(ByteJournal journal, int cpu, int reg, long xor) {
    int header = of(cpu, reg);
    if (wide(header)) {
      journal.pushEntry(xor, ((long) cpu << 16) | reg, header);
    } else {
      journal.pushEntry(xor, header);
    }
  }
}
