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
 * The journal against snapshots: random steps of stores (words, byte ranges, two spaces), register
 * writes, bookkeeping and events, some of it between steps; after undoing any number of steps the
 * machine equals the snapshot taken when that step ended, byte for byte, and running on from there
 * and undoing again stays exact.
 */
class TimelineUndoTest {
  private static final long KBASE = 0xffff_8880_0000_0000L;
  private static final long UBASE = 0x7ffd_0000_0000L;
  private static final int LEN = 3 * 4096;

  private final long[][] regs = new long[2][24];
  private final Timeline tl = new Timeline(new Timeline.RegisterSink() {
    @Override
    public long value(int cpu, int reg) {
      return regs[cpu][reg];
    }

    @Override
    public void restore(int cpu, int reg, long value) {
      regs[cpu][reg] = value;
    }
  });
  private final Memory kernel = new Memory(0, "kernel");
  private final Memory user = new Memory(3, "mm of pid 1");
  private final JCell<Integer> counter = new JCell<>(tl, 0);

  private record State(byte[] kernel, byte[] user, long[] regs, int counter, int events, long steps) {
    boolean same(State o) {
      return Arrays.equals(kernel, o.kernel) && Arrays.equals(user, o.user)
          && Arrays.equals(regs, o.regs) && counter == o.counter && events == o.events
          && steps == o.steps;
    }
  }

  private State state() {
    long[] all = new long[48];
    System.arraycopy(regs[0], 0, all, 0, 24);
    System.arraycopy(regs[1], 0, all, 24, 24);
    return new State(kernel.readBytes(KBASE, LEN), user.readBytes(UBASE, LEN), all, counter.get(),
        tl.events().size(), tl.steps());
  }

  private void change(Random r) {
    int what = r.nextInt(10);
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
      int cpu = r.nextInt(2);
      int reg = r.nextInt(24);
      long old = regs[cpu][reg];
      long v = r.nextBoolean() ? old + 4 : r.nextLong();
      if (v != old) {
        tl.registerChanged(cpu, reg, old, v);
        regs[cpu][reg] = v;
      }
    } else if (what < 9) {
      counter.set(counter.get() + 1);
    } else {
      tl.emit(new Event.Console(0, "line " + r.nextInt(100)));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 11, 12345})
  void undoingAnyNumberOfStepsRestoresTheSnapshotOfThatStepExactly(long seed) {
    Random r = new Random(seed);
    kernel.map(new Region("k", KBASE, LEN, Region.Kind.DIRECT_MAP));
    user.map(new Region("u", UBASE, LEN, Region.Kind.USER));
    tl.attach(kernel);
    tl.attach(user);
    List<State> atEnd = new ArrayList<>(); // atEnd.get(k): the state when k steps had ended
    atEnd.add(state());
    for (int round = 0; round < 40; round++) {
      int steps = 1 + r.nextInt(300);
      for (int s = 0; s < steps; s++) {
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
      assertThat(tl.undoableSteps()).isEqualTo(atEnd.size() - 1);
      int back = r.nextInt(tl.undoableSteps() + 1);
      tl.undoSteps(back);
      for (int k = 0; k < back; k++) {
        atEnd.remove(atEnd.size() - 1);
      }
      assertThat(state().same(atEnd.get(atEnd.size() - 1)))
          .as("seed %d, round %d: %d steps undone", seed, round, back).isTrue();
    }
    tl.undoSteps(tl.undoableSteps());
    assertThat(state().same(atEnd.get(0))).as("seed %d: all undone", seed).isTrue();
  }
}
