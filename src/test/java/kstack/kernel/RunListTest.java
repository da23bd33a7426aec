package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kstack.trace.Timeline;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The indexed run list keeps exactly the order the plain list it replaced kept (addLast, addFirst,
 * removeFirst, remove from the middle), puts a woken task in the plain list's place but ahead of
 * the marked tasks the tail ends with, counts its unmarked members, and undoes every change
 * exactly, newest first.
 */
class RunListTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261207})
  void randomQueueingKeepsThePlainListsOrderAndUndoRestoresEveryEarlierState(long seed) {
    Random rnd = new Random(seed);
    Timeline t = TestTimelines.noCpus();
    RunSlots nodes = new RunSlots();
    RunList rq = new RunList(t, nodes);
    List<Long> model = new ArrayList<>();
    java.util.Set<Long> marked = new java.util.HashSet<>();
    List<Integer> positions = new ArrayList<>();
    List<List<Long>> states = new ArrayList<>();
    List<Integer> unmarkedCounts = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      positions.add(t.position());
      states.add(List.copyOf(model));
      unmarkedCounts.add((int) model.stream().filter(x -> !marked.contains(x)).count());
      long task = 0x1000 + rnd.nextInt(40) * 0x100L;
      switch (rnd.nextInt(7)) {
        case 0, 1 -> {
          if (!model.contains(task)) {
            rq.addLast(task);
            model.add(task);
          }
        }
        case 2 -> {
          if (!model.contains(task)) {
            rq.addFirst(task);
            model.add(0, task);
          }
        }
        case 3 -> {
          if (!model.isEmpty()) {
            assertThat(rq.removeFirst()).as("seed " + seed).isEqualTo(model.remove(0));
          }
        }
        case 4 -> assertThat(rq.remove(task)).isEqualTo(model.remove(task));
        case 5 -> {
          if (!model.contains(task)) {
            rq.addWoken(task);
            List<Long> now = rq.snapshot();
            int at = now.indexOf(task);
            assertThat(now.subList(at + 1, now.size())).as("behind the woken task").allMatch(marked::contains);
            List<Long> without = new ArrayList<>(now);
            without.remove(at);
            assertThat(without).isEqualTo(model);
            model.add(at, task);
          }
        }
        default -> {
          boolean on = rnd.nextBoolean();
          RunList.mark(t, nodes, task, on);
          if (on) {
            marked.add(task);
          } else {
            marked.remove(task);
          }
        }
      }
      assertThat(rq.snapshot()).as("seed " + seed + " step " + i).isEqualTo(model);
      assertThat(rq.size()).isEqualTo(model.size());
      assertThat(rq.hasUnmarked()).isEqualTo(model.stream().anyMatch(x -> !marked.contains(x)));
      assertThat(rq.contains(task)).isEqualTo(model.contains(task));
    }
    for (int i = positions.size() - 1; i >= 0; i -= 1 + rnd.nextInt(50)) {
      t.undoTo(positions.get(i), 0);
      assertThat(rq.snapshot()).as("seed " + seed + " undone to " + i).isEqualTo(states.get(i));
      assertThat(rq.hasUnmarked()).isEqualTo(unmarkedCounts.get(i) > 0);
    }
  }

  /**
   * A process parked at its wait point that yielded is passed over for a task woken after it: init
   * woken behind a thousand yielded processes is at the head, while a task that yields unmarked
   * still goes behind them all.
   */
  @org.junit.jupiter.api.Test
  void aWokenTaskGoesAheadOfTheYieldedTasksAtTheTail() {
    Timeline t = TestTimelines.noCpus();
    RunSlots nodes = new RunSlots();
    RunList rq = new RunList(t, nodes);
    for (long task = 0x1000; task < 0x1000 + 1000 * 0x100; task += 0x100) {
      RunList.mark(t, nodes, task, true);
      rq.addLast(task);
    }
    rq.addWoken(0x900);
    rq.addLast(0x800);
    assertThat(rq.removeFirst()).isEqualTo(0x900);
    assertThat(rq.removeFirst()).isEqualTo(0x1000);
    assertThat(rq.snapshot().get(rq.size() - 1)).isEqualTo(0x800);
  }
}
