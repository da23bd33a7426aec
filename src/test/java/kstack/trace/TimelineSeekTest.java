package kstack.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import kstack.mem.Memory;
import kstack.mem.Region;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeking both ways against snapshots: random steps of stores (words, byte ranges, two spaces),
 * register writes, bookkeeping and events, some between steps, cut into short blocks; then random
 * seeks back and forward, each equal to the snapshot taken when that step ended; running on from
 * a point in the past discards the later steps and stays exact; undoing any number of steps and
 * running on stays exact; past a small budget, old blocks are thinned and their checkpoints are
 * still exact.
 */
class TimelineSeekTest {
  private static final long KBASE = 0xffff_8880_0000_0000L;
  private static final long UBASE = 0x7ffd_0000_0000L;
  private static final int LEN = 3 * 4096;

  private final long[][] regs = new long[3][40];
  private static final int PC = 16;
  private static final int SP = 7; // CPU 2 and registers past 31: the wide form
  private final Timeline tl = new Timeline(new RegisterSink() {
    @Override
    public long value(int cpu, int reg) {
      return regs[cpu][reg];
    }

    @Override
    public void restore(int cpu, int reg, long value) {
      regs[cpu][reg] = value;
    }

    @Override
    public int cpus() {
      return regs.length;
    }

    @Override
    public int registers(int cpu) {
      return regs[cpu].length;
    }
  }, 37);
  private final Memory kernel = new Memory(0, "kernel");
  private final Memory user = new Memory(3, "mm of pid 1");
  private final JCell<Integer> counter = new JCell<>(tl, 0);
  private final JList<Integer> list = new JList<>(tl);

  private record State(byte[] kernel, byte[] user, long[] regs, int counter, List<Integer> list,
      List<String> events, long steps) {
    boolean same(State o) {
      return Arrays.equals(kernel, o.kernel) && Arrays.equals(user, o.user)
          && Arrays.equals(regs, o.regs) && counter == o.counter && list.equals(o.list)
          && events.equals(o.events) && steps == o.steps;
    }
  }

  private State state() {
    long[] all = new long[120];
    for (int cpu = 0; cpu < 3; cpu++) {
      System.arraycopy(regs[cpu], 0, all, 40 * cpu, 40);
    }
    return new State(kernel.readBytes(KBASE, LEN), user.readBytes(UBASE, LEN), all, counter.get(),
        list.snapshot(), tl.events().stream().map(Event::describe).toList(), tl.steps());
  }

  private void change(Random r) {
    int what = r.nextInt(13);
    Memory m = r.nextInt(4) == 0 ? user : kernel;
    long base = m == user ? UBASE : KBASE;
    long a = base + r.nextInt(LEN - 8);
    if (what < 4) {
      int n = 1 << r.nextInt(4);
      m.write(a, n, r.nextBoolean() ? r.nextLong() : r.nextInt(16));
    } else if (what < 5) {
      byte[] b = new byte[1 + r.nextInt(300)];
      r.nextBytes(b);
      m.writeBytes(base + r.nextInt(LEN - b.length), b);
    } else if (what < 8) {
      int cpu = r.nextInt(3);
      int reg = r.nextBoolean() ? SP : r.nextInt(40); // sp: a push or pop, summed into the step's end
      long old = regs[cpu][reg];
      long v = r.nextBoolean() ? old + 4 : r.nextLong();
      if (v != old) {
        tl.registerChanged(cpu, reg, old, v);
        regs[cpu][reg] = v;
      }
    } else if (what < 9) {
      counter.set(counter.get() + 1);
    } else if (what < 10) {
      if (list.size() > 3 && r.nextBoolean()) {
        list.removeFirst();
      } else {
        list.addLast(r.nextInt(100));
      }
    } else if (what < 11) {
      tl.emit(new Event.Console(0, "line " + r.nextInt(100)));
    } else { // a step that does not branch: its end marker carries the advance
      int cpu = r.nextInt(3);
      tl.pcAdvanced(cpu, PC, 4);
      regs[cpu][PC] += 4;
    }
  }

  /** Runs n steps from the present, adding each end's state to atEnd. */
  private void run(Random r, int n, List<State> atEnd) {
    for (int s = 0; s < n; s++) {
      for (int i = r.nextInt(3); i > 0; i--) {
        change(r); // a command's set-up, between steps
      }
      tl.beginStep();
      for (int i = r.nextInt(6); i > 0; i--) {
        change(r);
      }
      tl.endStep();
      atEnd.add(state());
    }
  }

  private void map() {
    kernel.map(new Region("k", KBASE, LEN, Region.Kind.DIRECT_MAP));
    user.map(new Region("u", UBASE, LEN, Region.Kind.USER));
    tl.attach(kernel);
    tl.attach(user);
    tl.stackPointerIs(SP);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 11, 12345})
  void randomSeeksBackAndForwardReachEachStepsSnapshotExactly(long seed) {
    Random r = new Random(seed);
    map();
    List<State> atEnd = new ArrayList<>(); // atEnd.get(k): the state when k steps had ended
    atEnd.add(state());
    run(r, 1200, atEnd);
    State end = state();
    for (int i = 0; i < 200; i++) {
      int to = r.nextInt(atEnd.size());
      assertThat(tl.seek(to)).isEqualTo(to);
      assertThat(state().same(atEnd.get(to))).as("seed %d, seek %d to step %d", seed, i, to).isTrue();
    }
    tl.seek(tl.endSteps());
    assertThat(state().same(end)).as("back at the end, what followed the last step too").isTrue();
    assertThat(tl.futureSteps()).isZero();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4, 5, 6})
  void runningOnFromThePastDiscardsTheLaterStepsAndStaysExact(long seed) {
    Random r = new Random(seed);
    map();
    List<State> atEnd = new ArrayList<>();
    atEnd.add(state());
    for (int round = 0; round < 8; round++) {
      run(r, 100 + r.nextInt(400), atEnd);
      int back = r.nextInt(atEnd.size());
      tl.seek(back);
      assertThat(tl.futureSteps()).isEqualTo(atEnd.size() - 1 - back);
      atEnd.subList(back + 1, atEnd.size()).clear();
      run(r, 1 + r.nextInt(50), atEnd); // live from the past: the recorded future is dropped
      assertThat(tl.futureSteps()).isZero();
      assertThat(tl.endSteps()).isEqualTo(atEnd.size() - 1);
      for (int i = 0; i < 20; i++) {
        int to = r.nextInt(atEnd.size());
        tl.seek(to);
        assertThat(state().same(atEnd.get(to))).as("seed %d round %d step %d", seed, round, to)
            .isTrue();
      }
      tl.seek(tl.endSteps());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void pastTheBudgetOldBlocksAreThinnedToCheckpointsThatStayExact(long seed) {
    Random r = new Random(seed);
    map();
    List<State> atEnd = new ArrayList<>();
    atEnd.add(state());
    run(r, 3000, atEnd);
    tl.budget().setLimit(HistoryBudget.MIN);
    HistoryBudget b = tl.budget();
    assertThat(b.thinnedBlocks()).isPositive();
    assertThat(b.wholeFromStep()).isPositive();
    assertThat(b.heldBytes()).isLessThanOrEqualTo(HistoryBudget.MIN);
    assertThat(tl.firstStep()).as("nothing is dropped").isZero();
    for (int i = 0; i < 100; i++) {
      int to = r.nextInt(atEnd.size());
      long reached = tl.seek(to);
      assertThat(reached).isLessThanOrEqualTo(to);
      if (to >= b.wholeFromStep()) {
        assertThat(reached).isEqualTo(to);
      }
      assertThat(state().same(atEnd.get((int) reached))).as("seed %d step %d", seed, to).isTrue();
    }
    tl.seek(0);
    assertThat(state().same(atEnd.get(0))).isTrue();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {9, 10})
  void theLastWriteOfAnAddressIsTheStepAfterWhichItsValueChanged(long seed) {
    Random r = new Random(seed);
    map();
    List<State> atEnd = new ArrayList<>();
    atEnd.add(state());
    run(r, 1500, atEnd);
    for (int i = 0; i < 50; i++) {
      long addr = KBASE + r.nextInt(LEN - 8);
      LastWrite w = tl.lastWrite(kernel, addr, 8);
      int off = (int) (addr - KBASE);
      if (w.kind() == LastWrite.Kind.NONE) {
        assertThat(Arrays.copyOfRange(atEnd.get(0).kernel(), off, off + 8))
            .isEqualTo(Arrays.copyOfRange(state().kernel(), off, off + 8));
        continue;
      }
      assertThat(w.kind()).isIn(LastWrite.Kind.STEP, LastWrite.Kind.SETUP);
      long s = w.step();
      byte[] now = Arrays.copyOfRange(state().kernel(), off, off + 8);
      if (w.kind() == LastWrite.Kind.STEP) {
        assertThat(Arrays.copyOfRange(atEnd.get((int) s - 1).kernel(), off, off + 8))
            .as("changed by step %d", s).isNotEqualTo(Arrays.copyOfRange(atEnd.get((int) s)
                .kernel(), off, off + 8));
        for (long k = s; k < atEnd.size() - 1; k++) {
          assertThat(Arrays.copyOfRange(atEnd.get((int) k).kernel(), off, off + 8))
              .as("unchanged from step %d on", s).isEqualTo(now);
        }
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 11, 12345})
  void undoingAnyNumberOfStepsRestoresTheSnapshotOfThatStepExactly(long seed) {
    Random r = new Random(seed);
    map();
    List<State> atEnd = new ArrayList<>(); // atEnd.get(k): the state when k steps had ended
    atEnd.add(state());
    for (int round = 0; round < 40; round++) {
      run(r, 1 + r.nextInt(300), atEnd);
      assertThat(tl.undoableSteps()).isEqualTo(atEnd.size() - 1);
      int back = r.nextInt(tl.undoableSteps() + 1);
      tl.undoSteps(back);
      atEnd.subList(atEnd.size() - back, atEnd.size()).clear();
      assertThat(state().same(atEnd.get(atEnd.size() - 1)))
          .as("seed %d, round %d: %d steps undone", seed, round, back).isTrue();
    }
    tl.undoSteps(tl.undoableSteps());
    assertThat(state().same(atEnd.get(0))).as("seed %d: all undone", seed).isTrue();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {13, 14, 15})
  void eachBlockSealedAsItWasRecordedEqualsTheDifferenceReadBackFromItsJournal(long seed) {
    Random r = new Random(seed);
    map();
    List<State> atEnd = new ArrayList<>();
    atEnd.add(state());
    for (int round = 0; round < 6; round++) {
      run(r, 200 + r.nextInt(300), atEnd);
      int back = r.nextInt(atEnd.size());
      tl.seek(back); // running on from here seals the next block by reading it back
      atEnd.subList(back + 1, atEnd.size()).clear();
    }
    run(r, 300, atEnd);
    Checkpoints cp = tl.checkpoints;
    assertThat(cp.count()).isGreaterThan(5);
    for (int b = cp.fine; b < cp.last(); b++) {
      long[] at = atEnd.get((int) cp.step(b + 1)).regs;
      XorMap walked = JournalWalk.difference(tl, cp.pos(b), cp.pos(b + 1), cp.lastAddr(b + 1),
          (cpu, reg) -> at[40 * cpu + reg]);
      assertThat(entries(cp.block(b))).as("seed %d block %d", seed, b).isEqualTo(entries(walked));
    }
  }

  @org.junit.jupiter.api.Test
  void registersHeldBeforeRecordingBeganAreWhatSeekingBackAcrossWholeBlocksRestores() {
    long[] r = {7, 0x1234, -1};
    Timeline t = new Timeline(new RegisterSink() {
      @Override
      public long value(int cpu, int reg) {
        return r[reg];
      }

      @Override
      public void restore(int cpu, int reg, long value) {
        r[reg] = value;
      }

      @Override
      public int cpus() {
        return 1;
      }

      @Override
      public int registers(int cpu) {
        return r.length;
      }
    }, 4);
    for (int s = 0; s < 40; s++) {
      t.beginStep();
      int reg = s % 3;
      long v = r[reg] * 3 + s;
      t.registerChanged(0, reg, r[reg], v);
      r[reg] = v;
      t.endStep();
    }
    t.seek(0); // crosses nine sealed blocks by their differences
    assertThat(r).containsExactly(7, 0x1234, -1);
  }

  /** A sealed map's entries as "space:word=xor", sorted (the order they are kept in is free). */
  private static List<String> entries(XorMap m) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      out.add(m.space(i) + ":" + Long.toHexString(m.word(i)) + "=" + Long.toHexString(m.xor(i)));
    }
    out.sort(null);
    return out;
  }
}
