package kstack.trace;

import java.util.ArrayList;
import java.util.List;
import kstack.mem.Memory;

/**
 * The one narrow path through which machine state changes: every memory store, register write and
 * change of kernel bookkeeping is appended here with what undoing it needs, so any earlier moment
 * can be restored exactly by undoing changes newest first.
 *
 * <p>The journal is a stack of bytes ({@link ByteJournal}), each change one entry read back from its
 * last byte (its kind). A store or register write keeps the difference (XOR) between the old value
 * and the value it left, which undo combines with what memory or the register holds at that moment
 * (the same value, since later changes were undone first): a pc moved by one step or a counter
 * bumped costs a byte or two. A store's address is kept as the distance from the previous store's.
 * A step's end is a one-byte entry. Bookkeeping undos are objects kept beside the bytes.
 */
public final class Timeline implements Memory.Recorder {
  private static final int MEM = 0;
  private static final int REG = 1;
  private static final int OBJ = 2;
  private static final int STEP = 3;
  /** An OBJ entry without an object: the newest event is taken back. */
  private static final int EVENT = OBJ | 1 << 2;

  /** A change of state outside memory and registers, able to revert itself. */
  public interface Undo {
    void undo();
  }

  /** The CPUs' registers as undo reaches them: read, and set without recording. */
  public interface RegisterSink {
    long value(int cpu, int reg);

    void restore(int cpu, int reg, long value);
  }

  private final List<Memory> spaces = new ArrayList<>();
  private final RegisterSink registers;
  private final ByteJournal journal = new ByteJournal();
  /** The address of the newest store in the journal: the next one is kept as a distance from it. */
  private long lastAddr;
  private final List<Object> objects = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  /** The step count when each event was emitted, index for index: an export's timestamps. */
  private final List<Long> eventSteps = new ArrayList<>();
  private long steps;
  /** How many step ends the journal holds: the steps that can be undone. */
  private int recordedSteps;
  /** A step has begun and not yet ended. */
  private boolean inStep;
  /** Where the recorded history begins: undoing every recorded step returns here. */
  private int origin;
  private boolean recording = true;

  public Timeline(RegisterSink registers) {
    this.registers = registers;
  }

  /** Puts a memory store under this timeline; its id indexes it in recorded history. */
  public void attach(Memory space) {
    while (spaces.size() <= space.id()) {
      spaces.add(null);
    }
    spaces.set(space.id(), space);
    space.setRecorder(this);
  }

  /** Turns recording off (used only where history is not wanted, such as a benchmark baseline). */
  public void setRecording(boolean on) {
    if (!on && recording) {
      forget(); // what changes unrecorded next would make the kept differences wrong
    }
    recording = on;
  }

  /** Drops the whole recorded history: nothing before this moment can be undone any more. */
  private void forget() {
    journal.truncate(0);
    objects.clear();
    lastAddr = 0;
    origin = 0;
    recordedSteps = 0;
  }

  public boolean isRecording() {
    return recording;
  }

  @Override
  public void memoryChanged(Memory space, long addr, int size, long old, long value) {
    if (!recording) {
      return;
    }
    if (size < 1 || size > 8) {
      byte[] was = new byte[size];
      for (int i = 0; i < size; i++) {
        was[i] = (byte) (old >>> (8 * i));
      }
      recordUndo(new BytesUndo(space, addr, was));
      return;
    }
    journal.pushVarint(old ^ value);
    long delta = addr - lastAddr;
    journal.pushVarint((delta << 1) ^ (delta >> 63)); // zigzag: a small step down is small too
    lastAddr = addr;
    int header = MEM | (size - 1) << 2;
    if (space.id() != 0) {
      journal.pushVarint(space.id());
      header |= 1 << 5;
    }
    journal.push(header);
  }

  @Override
  public void memoryChanged(Memory space, long addr, byte[] oldBytes, byte[] newBytes) {
    if (!recording) {
      return;
    }
    recordUndo(new BytesUndo(space, addr, oldBytes));
  }

  /** Records a register write: cpu's register reg held old and now holds value. */
  public void registerChanged(int cpu, int reg, long old, long value) {
    if (!recording) {
      return;
    }
    journal.pushVarint(old ^ value);
    journal.pushVarint(((long) cpu << 16) | reg);
    journal.push(REG);
  }

  /** Records a bookkeeping change (a list link, a run queue, a pid map) by the action that reverts it. */
  public void recordUndo(Undo undo) {
    if (!recording) {
      return;
    }
    objects.add(undo);
    journal.push(OBJ);
  }

  /** Appends a semantic event (the story the user reads); undo drops it again. */
  public void emit(Event e) {
    events.add(e);
    eventSteps.add(steps);
    if (recording) {
      journal.push(EVENT);
    }
  }

  /**
   * Forgets the events emitted so far, so that a benchmark's memory figure counts tasks, not their
   * trace. Only while not recording: a recorded history's undo entries index into the list.
   */
  public void dropEvents() {
    if (recording) {
      throw new IllegalStateException("events are part of the recorded history");
    }
    events.clear();
    eventSteps.clear();
  }

  public List<Event> events() {
    return events;
  }

  /**
   * The step count when event number index of {@link #events} was emitted: the step it happened
   * in (events of a command's set-up carry the count of the step before).
   */
  public long stepOf(int index) {
    return eventSteps.get(index);
  }

  /**
   * Counts one instruction or C-level step, called as it begins; {@link #endStep} closes it. While
   * recording, every step is one entry of the undoable history, whether or not it changed anything.
   */
  public void beginStep() {
    inStep = true;
    steps++;
  }

  /**
   * Closes the step that {@link #beginStep} opened: everything recorded from here on until the next
   * step (a command's set-up, a goal's bookkeeping) lies between steps, and taking this step's
   * successor back undoes it too.
   */
  public void endStep() {
    if (!inStep) {
      return;
    }
    inStep = false;
    if (recording) {
      journal.push(STEP);
      recordedSteps++;
    }
  }

  /** How many of the latest steps can be undone (those taken while recording). */
  public int undoableSteps() {
    return recordedSteps;
  }

  /**
   * Undoes the latest n steps (n at most {@link #undoableSteps}), newest first, and everything
   * recorded after them: the machine is exactly as it was the moment step (steps - n) finished.
   */
  public void undoSteps(int n) {
    if (n < 0 || n > recordedSteps) {
      throw new IllegalArgumentException("only " + recordedSteps + " steps can be undone");
    }
    inStep = false;
    int ends = n;
    while (journal.size() > origin) {
      if (journal.byteBelow(journal.size()) == STEP) {
        if (ends == 0) {
          break; // the end of the step the machine returns to
        }
        ends--;
      }
      undoOne();
    }
    recordedSteps -= n;
    steps -= n;
  }

  public long steps() {
    return steps;
  }

  /** The current position; {@link #undoTo} returns the machine to the state it had here. */
  public int position() {
    return journal.size();
  }

  /**
   * Returns the machine to the state it had at {@link #position} {@code position}, when it had
   * taken stepsThen steps.
   */
  public void undoTo(int position, long stepsThen) {
    inStep = false;
    while (journal.size() > position) {
      if (undoOne() == STEP) {
        recordedSteps--;
      }
    }
    steps = stepsThen;
  }

  /** Undoes the newest entry; returns its kind. */
  private int undoOne() {
    int header = journal.pop();
    int kind = header & 3;
    switch (kind) {
      case MEM -> {
        Memory space = spaces.get((header & 1 << 5) != 0 ? (int) journal.popVarint() : 0);
        long zz = journal.popVarint();
        long addr = lastAddr;
        lastAddr = addr - ((zz >>> 1) ^ -(zz & 1));
        int size = (header >>> 2 & 7) + 1;
        space.poke(addr, size, space.peekRaw(addr, size) ^ journal.popVarint());
      }
      case REG -> {
        long where = journal.popVarint();
        int cpu = (int) (where >>> 16);
        int reg = (int) (where & 0xFFFF);
        registers.restore(cpu, reg, registers.value(cpu, reg) ^ journal.popVarint());
      }
      case OBJ -> {
        if (header == EVENT) {
          events.remove(events.size() - 1);
          eventSteps.remove(eventSteps.size() - 1);
        } else {
          ((Undo) objects.remove(objects.size() - 1)).undo();
        }
      }
      default -> { } // a step's end: nothing to restore
    }
    return kind;
  }

  /**
   * The stores journaled between two positions ({@link #position}), oldest first, each with the
   * value it replaced and the value it left. A store's new bytes are the old bytes of the next store
   * to them in the window, or what memory holds now: walking the journal backwards byte by byte
   * keeps overlapping stores of different widths exact. Stores into the same space are little-endian,
   * as on every modelled arch.
   */
  public List<MemoryWrite> writes(int from, int to) {
    int size = journal.size();
    if (from < 0 || to > size || from > to) {
      throw new IllegalArgumentException("positions must lie in 0.." + size);
    }
    java.util.Map<Long, Integer> after = new java.util.HashMap<>(); // (space, byte) -> byte
    List<MemoryWrite> out = new ArrayList<>();
    ByteJournal.Reader r = journal.readerAt(size);
    long addrCursor = lastAddr;
    int objIdx = objects.size();
    while (r.position() > from) {
      int header = r.next();
      if (header == OBJ && objects.get(--objIdx) instanceof BytesUndo b) {
        for (int i = 0; i < b.old().length; i++) {
          after.put(byteKey(b.space().id(), b.addr() + i), b.old()[i] & 0xff);
        }
      }
      if ((header & 3) != MEM) {
        if ((header & 3) == REG) {
          r.nextVarint();
          r.nextVarint();
        }
        continue;
      }
      int space = (header & 1 << 5) != 0 ? (int) r.nextVarint() : 0;
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
        int now = v != null ? v : byteNow(space, addr + b);
        int raw = v != null ? v : (int) spaces.get(space).peekRaw(addr + b, 1);
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
    java.util.Collections.reverse(out);
    return out;
  }

  private static long byteKey(int space, long addr) {
    return ((long) space << 56) ^ addr;
  }

  private int byteNow(int space, long addr) {
    try {
      return (int) spaces.get(space).read(addr, 1);
    } catch (kstack.mem.MemoryFault gone) {
      return -1;
    }
  }

  /** Heap bytes the history holds: its journal's segments (bookkeeping undos not counted). */
  public long footprintBytes() {
    return journal.footprintBytes();
  }

  /** Bytes of journal the recorded history uses now. */
  public long historyBytes() {
    return journal.size() - origin;
  }

  /** A multi-byte store's undo, as data, so that {@link #writes} sees the bytes it replaced. */
  private record BytesUndo(Memory space, long addr, byte[] old) implements Undo {
    @Override
    public void undo() {
      space.pokeBytes(addr, old);
    }
  }
}
