package kstack.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kstack.mem.Memory;

/**
 * Reads of the journal that leave the machine as it is, walking back from a position: a block's
 * combined difference, the stores between two positions, the step that last changed an address.
 */
final class JournalWalk {
  private JournalWalk() {}

  /** What a register held at the newer end of a walk. */
  interface RegisterAt {
    long value(int cpu, int reg);
  }

  /**
   * The combined difference of the entries between positions from and to (the newest store at to is
   * at addr; at gives the registers as they were at to: a step end's pc and sp sums are differences
   * only against the values they moved, which the walk follows back from there).
   */
  static XorMap difference(Timeline t, int from, int to, long addr, RegisterAt at) {
    XorMap m = new XorMap();
    ByteJournal.Reader r = t.journal.readerAt(to);
    long cursor = addr;
    Map<Long, Long> moved = new HashMap<>(); // cpu << 16 | reg -> its value, walking back from to
    StepEnd s = t.stepEnd;
    while (r.position() > from) {
      int header = r.next();
      int kind = header & 3;
      if (kind == Timeline.STEP) {
        int cpu = StepEnd.cpu(header);
        if ((header & StepEnd.SP_MOVED) != 0) {
          long zz = r.nextVarint();
          sum(m, moved, at, cpu, s.spReg, (zz >>> 1) ^ -(zz & 1));
        }
        if ((header & StepEnd.ADVANCED) != 0) {
          sum(m, moved, at, cpu, s.pcReg, s.pcBy);
        }
      } else if (kind == Timeline.MEM) {
        int space = (header & StoreEntry.OTHER_SPACE) != 0 ? (int) r.nextVarint() : 0;
        long zz = r.nextVarint();
        m.addStore(space, cursor, (header >>> 2 & 7) + 1, r.nextVarint());
        cursor -= (zz >>> 1) ^ -(zz & 1);
      } else if (kind == Timeline.REG) {
        long where = RegisterHeader.wide(header) ? r.nextVarint() : RegisterHeader.where(header);
        int cpu = (int) (where >>> 16);
        int reg = (int) (where & 0xFFFF);
        long xor = r.nextVarint();
        m.addRegister(cpu, reg, xor);
        if (reg == s.pcReg || reg == s.spReg) {
          moved.put(where, valueAt(moved, at, cpu, reg) ^ xor);
        }
      }
    }
    return m.seal();
  }

  /** Adds to m a sum a step end undid: the register moved by delta up to the value the walk holds. */
  private static void sum(XorMap m, Map<Long, Long> moved, RegisterAt at, int cpu, int reg,
      long delta) {
    long now = valueAt(moved, at, cpu, reg);
    m.addRegister(cpu, reg, now ^ (now - delta));
    moved.put((long) cpu << 16 | reg, now - delta);
  }

  private static long valueAt(Map<Long, Long> moved, RegisterAt at, int cpu, int reg) {
    Long v = moved.get((long) cpu << 16 | reg);
    return v != null ? v : at.value(cpu, reg);
  }

  /**
   * The stores journaled between two positions, oldest first, each with the value it replaced and
   * the value it left. A store's new bytes are the old bytes of the next store to them in the
   * window, or what memory holds now: walking the journal backwards byte by byte keeps
   * overlapping stores of different widths exact. Stores into the same space are little-endian, as
   * on every modelled arch.
   */
  static List<MemoryWrite> writes(Timeline t, int from, int to) {
    int size = t.journal.size();
    int floor = t.checkpoints.pos(t.checkpoints.fine);
    if (from < floor || to > size || from > to) {
      throw new IllegalArgumentException("positions must lie in " + floor + ".." + size);
    }
    Map<Long, Integer> after = new HashMap<>(); // (space, byte) -> byte
    List<MemoryWrite> out = new ArrayList<>();
    ByteJournal.Reader r = t.journal.readerAt(size);
    long addrCursor = t.lastAddr;
    int objIdx = t.changeTop;
    while (r.position() > from) {
      int header = r.next();
      if (header == Timeline.OBJ && t.changes.get(--objIdx) instanceof BytesChange b) {
        for (int i = 0; i < b.diff().length; i++) {
          long key = byteKey(b.space().id(), b.addr() + i);
          Integer v = after.get(key);
          int now = v != null ? v : (int) b.space().peekRaw(b.addr() + i, 1);
          after.put(key, (now ^ b.diff()[i]) & 0xff);
        }
      }
      if ((header & 3) != Timeline.MEM) {
        skip(r, header);
        continue;
      }
      int space = (header & StoreEntry.OTHER_SPACE) != 0 ? (int) r.nextVarint() : 0;
      long zz = r.nextVarint();
      long xor = r.nextVarint();
      long addr = addrCursor;
      addrCursor = addr - ((zz >>> 1) ^ -(zz & 1));
      int width = (header >>> 2 & 7) + 1;
      long value = 0;
      long old = 0;
      boolean known = true;
      for (int b = width - 1; b >= 0; b--) {
        long key = byteKey(space, addr + b);
        Integer v = after.get(key);
        int now = v != null ? v : byteNow(t, space, addr + b);
        int raw = v != null ? v : (int) t.spaces.get(space).peekRaw(addr + b, 1);
        known &= now >= 0;
        value = (value << 8) | (now & 0xff);
        int was = raw ^ (int) (xor >>> (8 * b)) & 0xff;
        old = (old << 8) | was;
        after.put(key, was);
      }
      if (r.position() < to) {
        out.add(new MemoryWrite(space, addr, width, old, value, known));
      }
    }
    Collections.reverse(out);
    return out;
  }

  /**
   * The newest change to a byte of [addr, addr + size) of space: entry by entry back to where the
   * history is kept whole, then block by block through the thinned part.
   */
  static LastWrite lastWrite(Timeline t, Memory space, long addr, int size) {
    Checkpoints cp = t.checkpoints;
    int floor = cp.pos(cp.fine);
    ByteJournal.Reader r = t.journal.readerAt(t.journal.size());
    long cursor = t.lastAddr;
    int objIdx = t.changeTop;
    long step = t.steps();
    boolean sawEnd = false;
    while (r.position() > floor) {
      int header = r.next();
      int kind = header & 3;
      boolean hit = false;
      if (kind == Timeline.STEP) {
        if (sawEnd) {
          step--;
        }
        sawEnd = true;
        skip(r, header);
      } else if (kind == Timeline.REG) {
        skip(r, header);
      } else if (kind == Timeline.OBJ && header != Timeline.EVENT) {
        hit = t.changes.get(--objIdx) instanceof BytesChange b && b.space() == space
            && changes(b, addr, size);
      } else if (kind == Timeline.MEM) {
        int sp = (header & StoreEntry.OTHER_SPACE) != 0 ? (int) r.nextVarint() : 0;
        long zz = r.nextVarint();
        long xor = r.nextVarint();
        hit = sp == space.id() && changes(cursor, (header >>> 2 & 7) + 1, xor, addr, size);
        cursor -= (zz >>> 1) ^ -(zz & 1);
      }
      if (hit) {
        return new LastWrite(sawEnd ? LastWrite.Kind.STEP : LastWrite.Kind.SETUP, step, step);
      }
    }
    for (int b = cp.fine - 1; b >= 0; b--) {
      if (cp.block(b).touches(space.id(), addr, size)) {
        return new LastWrite(LastWrite.Kind.THINNED, cp.step(b + 1), cp.step(b));
      }
    }
    return new LastWrite(LastWrite.Kind.NONE, cp.step(0), cp.step(0));
  }

  /** Whether a store of width bytes at a, with difference xor, changed a byte of [b, b + m). */
  private static boolean changes(long a, int width, long xor, long b, int m) {
    for (int i = 0; i < width; i++) {
      if ((xor >>> (8 * i) & 0xff) != 0 && a + i - b >= 0 && a + i - b < m) {
        return true;
      }
    }
    return false;
  }

  private static boolean changes(BytesChange c, long b, int m) {
    for (int i = 0; i < c.diff().length; i++) {
      if (c.diff()[i] != 0 && c.addr() + i - b >= 0 && c.addr() + i - b < m) {
        return true;
      }
    }
    return false;
  }

  /** Reads past the numbers of a register write or a step's end (none for a bookkeeping entry). */
  private static void skip(ByteJournal.Reader r, int header) {
    int kind = header & 3;
    if (kind == Timeline.REG) {
      if (RegisterHeader.wide(header)) {
        r.nextVarint();
      }
      r.nextVarint();
    } else if (kind == Timeline.STEP && (header & StepEnd.SP_MOVED) != 0) {
      r.nextVarint();
    }
  }

  private static long byteKey(int space, long addr) {
    return ((long) space << 56) ^ addr;
  }

  private static int byteNow(Timeline t, int space, long addr) {
    try {
      return (int) t.spaces.get(space).read(addr, 1);
    } catch (kstack.mem.MemoryFault gone) {
      return -1;
    }
  }
}
