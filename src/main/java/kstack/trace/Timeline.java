package kstack.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kstack.mem.Memory;

/**
 * The one narrow path through which machine state changes: every memory store, register write and
 * change of kernel bookkeeping is appended here with its old value, so any earlier moment can be
 * restored exactly by undoing changes newest first.
 *
 * <p>Small stores and register writes are kept in parallel primitive arrays (25 bytes a change), so a
 * history of ten million changes fits in a few hundred MiB; larger changes and bookkeeping undos are
 * kept as objects beside them.
 */
public final class Timeline implements Memory.Recorder {
  private static final byte MEM = 0;
  private static final byte REG = 1;
  private static final byte OBJ = 2;

  /** A change of state outside memory and registers, able to revert itself. */
  public interface Undo {
    void undo();
  }

  /** Applies a register change without recording it: how undo reaches a CPU. */
  public interface RegisterSink {
    void restore(int cpu, int reg, long value);
  }

  private final List<Memory> spaces = new ArrayList<>();
  private final RegisterSink registers;
  private byte[] kind = new byte[1024];
  private long[] where = new long[1024];
  private long[] oldValue = new long[1024];
  private int[] extra = new int[1024];
  private final List<Object> objects = new ArrayList<>();
  private int size;
  private final List<Event> events = new ArrayList<>();
  /** The step count when each event was emitted, index for index: an export's timestamps. */
  private final List<Long> eventSteps = new ArrayList<>();
  private long steps;
  /**
   * Where each recorded step's changes end: the moment the step finished, before anything the
   * debugger did after it (a command's set-up, a breakpoint report, a goal's bookkeeping).
   */
  private int[] stepEnd = new int[1024];
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
    if (on && !recording && recordedSteps == 0) {
      origin = size;
    }
    recording = on;
  }

  public boolean isRecording() {
    return recording;
  }

  private void ensure() {
    if (size == kind.length) {
      int n = size * 2;
      kind = Arrays.copyOf(kind, n);
      where = Arrays.copyOf(where, n);
      oldValue = Arrays.copyOf(oldValue, n);
      extra = Arrays.copyOf(extra, n);
    }
  }

  @Override
  public void memoryChanged(Memory space, long addr, int size, long old, long value) {
    if (!recording) {
      return;
    }
    ensure();
    kind[this.size] = MEM;
    where[this.size] = addr;
    oldValue[this.size] = old;
    extra[this.size] = size | (space.id() << 4);
    this.size++;
  }

  @Override
  public void memoryChanged(Memory space, long addr, byte[] oldBytes, byte[] newBytes) {
    if (!recording) {
      return;
    }
    Undo u = () -> space.pokeBytes(addr, oldBytes);
    recordUndo(u);
  }

  public void registerChanged(int cpu, int reg, long old) {
    if (!recording) {
      return;
    }
    ensure();
    kind[size] = REG;
    where[size] = ((long) cpu << 16) | reg;
    oldValue[size] = old;
    size++;
  }

  /** Records a bookkeeping change (a list link, a run queue, a pid map) by the action that reverts it. */
  public void recordUndo(Undo undo) {
    if (!recording) {
      return;
    }
    ensure();
    kind[size] = OBJ;
    extra[size] = objects.size();
    objects.add(undo);
    size++;
  }

  /** Appends a semantic event (the story the user reads); undo drops it again. */
  public void emit(Event e) {
    events.add(e);
    eventSteps.add(steps);
    int index = events.size() - 1;
    recordUndo(() -> {
      events.remove(index);
      eventSteps.remove(index);
    });
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
      if (recordedSteps == stepEnd.length) {
        stepEnd = Arrays.copyOf(stepEnd, recordedSteps * 2);
      }
      stepEnd[recordedSteps++] = size;
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
    int target = recordedSteps - n;
    int position = target == 0 ? origin : stepEnd[target - 1];
    undo(position);
    recordedSteps = target;
    steps -= n;
  }

  public long steps() {
    return steps;
  }

  /** The current position; {@link #undoTo} returns the machine to the state it had here. */
  public int position() {
    return size;
  }

  /**
   * Returns the machine to the state it had at {@link #position} {@code position}, when it had
   * taken stepsThen steps.
   */
  public void undoTo(int position, long stepsThen) {
    undo(position);
    steps = stepsThen;
    while (recordedSteps > 0 && stepEnd[recordedSteps - 1] > position) {
      recordedSteps--;
    }
  }

  private void undo(int position) {
    inStep = false;
    while (size > position) {
      size--;
      switch (kind[size]) {
        case MEM -> spaces.get(extra[size] >>> 4).poke(where[size], extra[size] & 0xF, oldValue[size]);
        case REG -> registers.restore((int) (where[size] >>> 16), (int) (where[size] & 0xFFFF),
            oldValue[size]);
        default -> {
          int idx = extra[size];
          ((Undo) objects.get(idx)).undo();
          objects.remove(idx);
        }
      }
    }
  }

  /**
   * The stores journaled between two positions ({@link #position}), oldest first, each with the
   * value it replaced and the value it left. A store's new bytes are the old bytes of the next store
   * to them in the window, or what memory holds now: walking the journal backwards byte by byte
   * keeps overlapping stores of different widths exact. Stores into the same space are little-endian,
   * as on every modelled arch.
   */
  public List<MemoryWrite> writes(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IllegalArgumentException("positions must lie in 0.." + size);
    }
    java.util.Map<Long, Integer> after = new java.util.HashMap<>(); // (space, byte) -> byte, -1 unknown
    MemoryWrite[] out = new MemoryWrite[to - from];
    int n = 0;
    for (int i = size - 1; i >= from; i--) {
      if (kind[i] != MEM) {
        continue;
      }
      int space = extra[i] >>> 4;
      int width = extra[i] & 0xF;
      long value = 0;
      boolean known = true;
      for (int b = width - 1; b >= 0; b--) {
        long key = ((long) space << 56) ^ (where[i] + b);
        Integer v = after.get(key);
        int now = v != null ? v : byteNow(space, where[i] + b);
        known &= now >= 0;
        value = (value << 8) | (now & 0xff);
        after.put(key, (int) ((oldValue[i] >>> (8 * b)) & 0xff));
      }
      if (i < to) {
        out[n++] = new MemoryWrite(space, where[i], width, oldValue[i], value, known);
      }
    }
    List<MemoryWrite> list = new ArrayList<>(n);
    for (int k = n - 1; k >= 0; k--) {
      list.add(out[k]);
    }
    return list;
  }

  private int byteNow(int space, long addr) {
    try {
      return (int) spaces.get(space).read(addr, 1);
    } catch (kstack.mem.MemoryFault gone) {
      return -1;
    }
  }

  /** Heap bytes the history holds in its primitive arrays. */
  public long footprintBytes() {
    return (long) kind.length * (1 + 8 + 8 + 4);
  }
}
