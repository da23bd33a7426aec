package kstack.trace;

import java.util.ArrayList;
import java.util.List;
import kstack.mem.Memory;

/**
 * The one narrow path through which machine state changes: every memory store, register write and
 * change of kernel bookkeeping is appended here with what taking it back and doing it again need,
 * so any recorded moment can be restored exactly, earlier or later than the present.
 *
 * <p>The journal is a stack of bytes ({@link ByteJournal}), each change one entry read back from its
 * last byte (its kind). A store or register write keeps the difference (XOR) between the old value
 * and the value it left: applied to what memory or the register holds, it gives the other one, so
 * the same entry undoes and redoes ({@link StoreEntry}, {@link RegisterHeader}). A step's end says
 * how its CPU's pc and stack pointer moved ({@link StepEnd}). Bookkeeping changes are objects kept
 * beside the bytes. Going back, the entries above the present stay: the recorded future, which {@link #seek} moves
 * forward over again without executing anything, until something new is recorded there (the
 * future is then discarded, as gdb's record-full discards its log when the past is changed).
 *
 * <p>Every {@link Checkpoints#DEFAULT_INTERVAL} steps a block of history is sealed with its combined
 * difference, so a seek crosses whole blocks at once and walks the journal only inside one block.
 * Past the history budget, the oldest blocks keep only that difference (thinned: reached at block
 * granularity), and thinned blocks merge pairwise as the budget requires ({@link HistoryBudget}).
 */
public final class Timeline implements Memory.Recorder {
  static final int MEM = 0;
  static final int REG = 1;
  static final int OBJ = 2;
  static final int STEP = 3;
  /** An OBJ entry without an object: the newest event is taken back. */
  static final int EVENT = OBJ | 1 << 2;

  /** A change of state outside memory and registers, able to revert and re-apply itself. */
  public interface Change {
    void undo();

    void redo();
  }

  final List<Memory> spaces = new ArrayList<>();
  final RegisterSink registers;
  final ByteJournal journal = new ByteJournal();
  /** The address of the newest store below the present: the next one is kept as a distance. */
  long lastAddr;
  /** Every recorded bookkeeping change; those below {@link #changeTop} are in the present's past. */
  final List<Change> changes = new ArrayList<>();
  int changeTop;
  private final EventLog events = new EventLog();
  /** The present: how many steps have ended (seeks move it). */
  long steps;
  /** The step count at the end of the recorded history (above {@link #steps} while in the past). */
  private long endSteps;
  /** The present lies before the end of the recorded history. */
  private boolean future;
  /** The journal position of the end of the recorded history, while {@link #future}. */
  private int endPos;
  /** A step has begun and not yet ended. */
  private boolean inStep;
  private boolean recording = true;
  /** The stepping CPU's pc advance and stack pointer movement, journaled with the step's end. */
  final StepEnd stepEnd;
  final Checkpoints checkpoints = new Checkpoints();
  /** The combined difference of the block since the last boundary, kept as it is recorded. */
  private final OpenBlock open;
  final int interval; // steps per block (tests use short blocks)
  private final HistoryBudget budget = new HistoryBudget(this);

  public Timeline(RegisterSink registers) {
    this(registers, Checkpoints.DEFAULT_INTERVAL);
  }

  /** A timeline sealing a block every interval steps (tests use short blocks). */
  Timeline(RegisterSink registers, int interval) {
    this.registers = registers;
    this.interval = interval;
    this.open = new OpenBlock(registers);
    this.stepEnd = new StepEnd(journal, registers);
    checkpoints.reset(0, 0, 0, 0, 0);
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
    if (on != recording) {
      forget(); // what changes unrecorded next would make the kept differences wrong
    }
    recording = on;
  }

  /** Drops the whole recorded history: nothing before this moment can be reached any more. */
  private void forget() {
    journal.truncate(0);
    changes.clear();
    changeTop = 0;
    events.forgetFuture();
    lastAddr = 0;
    endSteps = steps;
    future = false;
    checkpoints.reset(steps, 0, 0, 0, events.size());
    open.restart();
    stepEnd.forget();
  }

  public boolean isRecording() {
    return recording;
  }

  /** While the present lies in the recorded past, recording anything discards the future. */
  private void beforeRecord() {
    if (future) {
      discardFuture();
    }
  }

  @Override
  public void memoryChanged(Memory space, long addr, int size, long old, long value) {
    if (!recording) {
      return;
    }
    if (size < 1 || size > 8) {
      record(BytesChange.of(space, addr, size, old ^ value));
      return;
    }
    beforeRecord();
    long delta = addr - lastAddr;
    lastAddr = addr;
    StoreEntry.push(journal, space.id(), delta, size, old ^ value);
    open.store(space.id(), addr, size, old ^ value);
  }

  @Override
  public void memoryChanged(Memory space, long addr, byte[] oldBytes, byte[] newBytes) {
    if (recording) {
      record(BytesChange.of(space, addr, oldBytes, newBytes));
    }
  }

  /** Records a register write: cpu's register reg held old and now holds value. */
  public void registerChanged(int cpu, int reg, long old, long value) {
    if (!recording) {
      return;
    }
    beforeRecord();
    stepEnd.registerChanged(inStep, cpu, reg, old, value);
  }

  /** Names cpu's stack pointer: inside a step its moves are summed into the step's end marker. */
  public void stackPointerIs(int reg) {
    stepEnd.spReg = reg;
  }

  /**
   * Records that cpu's program counter, register reg, is about to move on by {@code by} bytes
   * (called before the register changes): inside a step the step's end marker says it
   * ({@link StepEnd}).
   */
  public void pcAdvanced(int cpu, int reg, int by) {
    if (!recording) {
      return;
    }
    beforeRecord();
    stepEnd.pcAdvanced(inStep, cpu, reg, by);
  }

  /** Records a bookkeeping change (a list link, a run queue), already made, by its two actions. */
  public void recordChange(Runnable undo, Runnable redo) {
    if (recording) {
      record(new BytesChange.Actions(undo, redo));
    }
  }

  /** Records a bookkeeping change, already made, that can take itself back and make itself again. */
  public void record(Change c) {
    if (recording) {
      beforeRecord();
      stepEnd.flush();
      changes.add(c);
      changeTop++;
      journal.push(OBJ);
    }
  }

  /** Appends a semantic event (the story the user reads); undo takes it back, redo re-appends it. */
  public void emit(Event e) {
    if (recording) {
      beforeRecord();
      journal.push(EVENT);
    }
    events.add(e, steps);
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
  }

  public List<Event> events() {
    return events.present();
  }

  /**
   * The step count when event number index of {@link #events} was emitted: the step it happened
   * in (events of a command's set-up carry the count of the step before).
   */
  public long stepOf(int index) {
    return events.stepOf(index);
  }

  /**
   * Counts one instruction or C-level step, called as it begins; {@link #endStep} closes it. While
   * recording, every step is one entry of the history, whether or not it changed anything.
   */
  public void beginStep() {
    if (recording) {
      beforeRecord();
      stepEnd.flush(); // a step that never ended (it threw) left its sums pending
    }
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
      stepEnd.close();
      endSteps = steps;
      if (steps - checkpoints.step(checkpoints.last()) >= interval) {
        cut();
      }
    }
  }

  /** Seals the block from the last boundary to the present (the end of the recorded history). */
  private void cut() {
    checkpoints.add(steps, journal.size(), lastAddr, changeTop, events.size(),
        open.seal(this));
    budget.enforce();
  }

  /** How many of the latest steps can be undone one by one (reverse-stepi). */
  public int undoableSteps() {
    return (int) Math.max(0, steps - checkpoints.step(checkpoints.fine));
  }

  /** The recorded steps after the present (0 unless a seek or an undo went back). */
  public long futureSteps() {
    return endSteps - steps;
  }

  /**
   * Undoes the latest n steps (n at most {@link #undoableSteps}), newest first, and everything
   * recorded after them: the machine is exactly as it was the moment step (steps - n) finished.
   */
  public void undoSteps(int n) {
    if (n < 0 || n > undoableSteps()) {
      throw new IllegalArgumentException("only " + undoableSteps() + " steps can be undone");
    }
    seek(steps - n);
  }

  /**
   * Moves the machine to recorded step target, back or forward, without executing: the state the
   * moment that step ended (target == {@link #endSteps()}: the end of the recorded history, with
   * what was recorded after its last step). A target in the thinned part lands on the nearest kept
   * boundary at or before it. Returns the step reached.
   */
  public long seek(long target) {
    long first = checkpoints.step(0);
    if (target < first || target > endSteps) {
      throw new IllegalArgumentException("step " + target + " is not in the recorded history ("
          + first + ".." + endSteps + ")");
    }
    leavePresent();
    Seeker.seek(this, target);
    settle();
    return steps;
  }

  /** Before the present moves: the end of history becomes a boundary; the open block is left. */
  private void leavePresent() {
    inStep = false;
    stepEnd.flush();
    if (!future) {
      endPos = journal.size();
      endSteps = steps;
      if (endPos != checkpoints.pos(checkpoints.last())) {
        cut();
      }
    }
    open.invalidate();
  }

  /** After a seek: whether the present lies before the end. */
  void settle() {
    future = journal.size() < endPos;
    reopenAtBoundary();
  }

  /** Standing on the last boundary with nothing above it, the block that begins here is empty. */
  private void reopenAtBoundary() {
    if (!future && !open.valid() && journal.size() == checkpoints.pos(checkpoints.last())) {
      open.restart();
    }
  }

  /** The step count at the end of the recorded history. */
  public long endSteps() {
    return endSteps;
  }

  /** The earliest step a seek reaches (where the history begins). */
  public long firstStep() {
    return checkpoints.step(0);
  }

  /** Drops every recorded step above the present: live execution goes on from here. */
  private void discardFuture() {
    journal.truncate(journal.size());
    changes.subList(changeTop, changes.size()).clear();
    events.forgetFuture();
    checkpoints.dropAbove(checkpoints.atOrBelowPos(journal.size()));
    endSteps = steps;
    future = false;
    reopenAtBoundary();
  }

  EventLog eventLog() {
    return events;
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
    leavePresent();
    while (journal.size() > position) {
      Seeker.undoOne(this);
    }
    steps = stepsThen;
    settle();
  }

  /** The stores journaled between two positions, oldest first ({@link JournalWalk#writes}). */
  public List<MemoryWrite> writes(int from, int to) {
    return JournalWalk.writes(this, from, to);
  }

  /** The step that last changed a byte of [addr, addr + size) ({@link JournalWalk#lastWrite}). */
  public LastWrite lastWrite(Memory space, long addr, int size) {
    return JournalWalk.lastWrite(this, space, addr, size);
  }

  /** Heap bytes the history holds: its journal's segments (bookkeeping changes not counted). */
  public long footprintBytes() {
    return journal.footprintBytes() + checkpoints.mapBytes();
  }

  /** Bytes of journal the recorded history uses now, the future included. */
  public long historyBytes() {
    return (future ? endPos : journal.size()) - checkpoints.pos(checkpoints.fine);
  }

  /** What the history keeps and how ({@code info history}). */
  public HistoryBudget budget() {
    return budget;
  }
}
