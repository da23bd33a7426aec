package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import kstack.trace.Timeline;

/**
 * One CPU's run queue in order: the stand-in for the rq's runnable lists (2.4's runqueue_head,
 * the O(1) scheduler's prio_array lists, CFS's rb-tree, kernel/sched/core.c), whose bytes the
 * simulator does not model. A doubly linked list over {@link RunSlots}, indexed by task, so that
 * queueing, dequeueing and asking whether a task is queued cost the same with a million runnable
 * tasks as with three, as enqueue_task/dequeue_task do in Linux (O(1) lists, O(log n) rb-tree), and
 * a queued task costs a few array entries, not an object. Every change is recorded on the timeline
 * and undone exactly.
 *
 * <p>A task may also be marked (by the debugger: a user process parked at its wait point that
 * yielded for work is no work); the list counts its unmarked members, so "is there work queued" is
 * O(1) as well. A task woken goes ahead of the marked tasks at the tail ({@link #addWoken}), as
 * every scheduler runs a task that did not yield before one that did: 2.4's goodness() passes over
 * a SCHED_YIELD task (kernel/sched.c@2.4.22:152-153), 2.6's sched_yield moves it to the expired
 * array (kernel/sched.c@2.6.11:3726-3749), CFS makes it the skip buddy (kernel/sched/fair.c@6.19
 * yield_task_fair). So init, woken for a spawn behind ten thousand parked processes, runs after
 * the one yield of the process that held the CPU, not after one yield per parked process.
 */
public final class RunList {
  private static final int NONE = -1;
  private final Timeline timeline;
  /** Every queued or marked task's slot, shared by the run lists of one kernel. */
  private final RunSlots slots;
  private final int head;
  /** This list's index among the slots' lists. */
  private final int index;
  private int size;
  private int unmarked;
  /**
   * The slot of a marked task that only marked tasks follow (the tail's parked run, or part of it),
   * or NONE: where {@link #addWoken} inserts. Part of the list's state: every change records it.
   */
  private int parkedTail = NONE;

  RunList(Timeline timeline, RunSlots slots) {
    this.timeline = timeline;
    this.slots = slots;
    this.head = slots.newHead();
    this.index = slots.register(this);
  }

  public void addLast(long task) {
    insert(task, slots.prev(head));
  }

  public void addFirst(long task) {
    insert(task, head);
  }

  /**
   * A task woken (try_to_wake_up, wake_up_new_task): at the tail, but ahead of the marked tasks
   * the tail ends with.
   */
  public void addWoken(long task) {
    insert(task, parkedTail != NONE ? slots.prev(parkedTail) : slots.prev(head));
  }

  /** Takes the task at the head off; the list must not be empty. */
  public long removeFirst() {
    if (size == 0) {
      throw new IllegalStateException("the run queue is empty");
    }
    int n = slots.next(head);
    unlinkRecorded(n);
    return slots.task(n);
  }

  public boolean remove(long task) {
    int n = slots.find(task);
    if (n < 0 || slots.list(n) != index) {
      return false;
    }
    unlinkRecorded(n);
    return true;
  }

  public boolean contains(long task) {
    int n = slots.find(task);
    return n >= 0 && slots.list(n) == index;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  /** Whether a queued task is not marked. */
  public boolean hasUnmarked() {
    return unmarked > 0;
  }

  /** The queued tasks, head first. */
  public List<Long> snapshot() {
    List<Long> out = new ArrayList<>(size);
    for (int n = slots.next(head); n != head; n = slots.next(n)) {
      out.add(slots.task(n));
    }
    return out;
  }

  private void insert(long task, int after) {
    int n = slots.slot(task);
    if (slots.list(n) >= 0) {
      throw new IllegalStateException("task 0x" + Long.toHexString(task) + " is queued twice");
    }
    int was = parkedTail;
    link(n, after);
    int now = parkedTail;
    if (timeline.isRecording()) {
      timeline.recordChange(() -> undoLink(n, was), () -> redoLink(n, after, now));
    }
  }

  private void unlinkRecorded(int n) {
    int after = slots.prev(n);
    int was = parkedTail;
    unlink(n);
    int now = parkedTail;
    if (timeline.isRecording()) {
      timeline.recordChange(() -> redoLink(n, after, was), () -> undoLink(n, now));
    }
  }

  private void undoLink(int n, int parked) {
    unlink(n);
    parkedTail = parked;
  }

  private void redoLink(int n, int after, int parked) {
    link(n, after);
    parkedTail = parked;
  }

  private void link(int n, int after) {
    int next = slots.next(after);
    slots.setPrev(n, after);
    slots.setNext(n, next);
    slots.setPrev(next, n);
    slots.setNext(after, n);
    slots.setOwner(n, index);
    size++;
    boolean marked = slots.marked(n);
    unmarked += marked ? 0 : 1;
    if (next == head) { // at the tail: it starts the parked run, ends it, or clears it
      parkedTail = !marked ? NONE : parkedTail == NONE ? n : parkedTail;
    } else if (next == parkedTail && marked) {
      parkedTail = n;
    }
  }

  private void unlink(int n) {
    int next = slots.next(n);
    int prev = slots.prev(n);
    if (n == parkedTail) {
      parkedTail = next == head ? NONE : next;
    }
    slots.setNext(prev, next);
    slots.setPrev(next, prev);
    slots.setPrev(n, NONE);
    slots.setNext(n, NONE);
    slots.setOwner(n, NONE);
    size--;
    unmarked -= slots.marked(n) ? 0 : 1;
  }

  /** Marks or unmarks a task, queued or not; recorded. */
  static void mark(Timeline timeline, RunSlots slots, long task, boolean on) {
    int found = slots.find(task);
    if (found < 0 ? !on : slots.marked(found) == on) {
      return;
    }
    int n = found >= 0 ? found : slots.slot(task);
    RunList q = slots.owner(n);
    int was = q == null ? NONE : q.parkedTail;
    int now = on ? was : NONE; // a queued task unmarked may lie in the parked run
    setMark(slots, n, on);
    if (q == null) {
      if (timeline.isRecording()) {
        timeline.recordChange(() -> setMark(slots, n, !on), () -> setMark(slots, n, on));
      }
      return;
    }
    q.parkedTail = now;
    if (timeline.isRecording()) {
      timeline.recordChange(() -> {
        setMark(slots, n, !on);
        q.parkedTail = was;
      }, () -> {
        setMark(slots, n, on);
        q.parkedTail = now;
      });
    }
  }

  private static void setMark(RunSlots slots, int n, boolean on) {
    slots.setMarked(n, on);
    RunList q = slots.owner(n);
    if (q != null) {
      q.unmarked += on ? -1 : 1;
    }
  }
}
