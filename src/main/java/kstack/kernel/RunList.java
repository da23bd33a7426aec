package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import kstack.mem.LongObjectMap;
import kstack.trace.Timeline;

/**
 * One CPU's run queue in order: the stand-in for the rq's runnable lists (2.4's runqueue_head,
 * the O(1) scheduler's prio_array lists, CFS's rb-tree, kernel/sched/core.c), whose bytes the
 * simulator does not model. A doubly linked list indexed by task, so that queueing, dequeueing and
 * asking whether a task is queued cost the same with a million runnable tasks as with three, as
 * enqueue_task/dequeue_task do in Linux (O(1) lists, O(log n) rb-tree). Every change is recorded on
 * the timeline and undone exactly.
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
  /** A task's place: on at most one run list; kept while it is queued or marked. */
  static final class Node {
    final long task;
    Node prev;
    Node next;
    RunList owner;
    boolean marked;

    Node(long task) {
      this.task = task;
    }
  }

  private final Timeline timeline;
  /** Every queued or marked task's node, shared by the run lists of one kernel. */
  private final LongObjectMap<Node> nodes;
  private final Node head = new Node(0);
  private int size;
  private int unmarked;
  /**
   * A marked task that only marked tasks follow (the tail's parked run, or part of it), or null:
   * where {@link #addWoken} inserts. Part of the list's state: every change records it.
   */
  private Node parkedTail;

  RunList(Timeline timeline, LongObjectMap<Node> nodes) {
    this.timeline = timeline;
    this.nodes = nodes;
    head.prev = head;
    head.next = head;
  }

  public void addLast(long task) {
    insert(task, head.prev);
  }

  public void addFirst(long task) {
    insert(task, head);
  }

  /**
   * A task woken (try_to_wake_up, wake_up_new_task): at the tail, but ahead of the marked tasks
   * the tail ends with.
   */
  public void addWoken(long task) {
    insert(task, parkedTail != null ? parkedTail.prev : head.prev);
  }

  /** Takes the task at the head off; the list must not be empty. */
  public long removeFirst() {
    if (size == 0) {
      throw new IllegalStateException("the run queue is empty");
    }
    Node n = head.next;
    unlinkRecorded(n);
    return n.task;
  }

  public boolean remove(long task) {
    Node n = nodes.get(task);
    if (n == null || n.owner != this) {
      return false;
    }
    unlinkRecorded(n);
    return true;
  }

  public boolean contains(long task) {
    Node n = nodes.get(task);
    return n != null && n.owner == this;
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
    for (Node n = head.next; n != head; n = n.next) {
      out.add(n.task);
    }
    return out;
  }

  private void insert(long task, Node after) {
    Node n = nodes.get(task);
    if (n == null) {
      n = new Node(task);
      nodes.put(task, n);
    }
    if (n.owner != null) {
      throw new IllegalStateException("task 0x" + Long.toHexString(task) + " is queued twice");
    }
    Node node = n;
    Node was = parkedTail;
    link(node, after);
    Node now = parkedTail;
    timeline.recordChange(() -> undoLink(node, was), () -> redoLink(node, after, now));
  }

  private void unlinkRecorded(Node n) {
    Node after = n.prev;
    Node was = parkedTail;
    unlink(n);
    Node now = parkedTail;
    timeline.recordChange(() -> redoLink(n, after, was), () -> undoLink(n, now));
  }

  private void undoLink(Node n, Node parked) {
    unlink(n);
    parkedTail = parked;
  }

  private void redoLink(Node n, Node after, Node parked) {
    link(n, after);
    parkedTail = parked;
  }

  private void link(Node n, Node after) {
    n.prev = after;
    n.next = after.next;
    after.next.prev = n;
    after.next = n;
    n.owner = this;
    nodes.put(n.task, n);
    size++;
    unmarked += n.marked ? 0 : 1;
    if (n.next == head) { // at the tail: it starts the parked run, ends it, or clears it
      parkedTail = !n.marked ? null : parkedTail == null ? n : parkedTail;
    } else if (n.next == parkedTail && n.marked) {
      parkedTail = n;
    }
  }

  private void unlink(Node n) {
    if (n == parkedTail) {
      parkedTail = n.next == head ? null : n.next;
    }
    n.prev.next = n.next;
    n.next.prev = n.prev;
    n.prev = null;
    n.next = null;
    n.owner = null;
    size--;
    unmarked -= n.marked ? 0 : 1;
    if (!n.marked) {
      nodes.remove(n.task);
    }
  }

  /** Marks or unmarks a task, queued or not; recorded. */
  static void mark(Timeline timeline, LongObjectMap<Node> nodes, long task, boolean on) {
    Node n = nodes.get(task);
    if ((n == null && !on) || (n != null && n.marked == on)) {
      return;
    }
    Node node = n != null ? n : new Node(task);
    RunList q = node.owner;
    Node was = q == null ? null : q.parkedTail;
    Node now = on ? was : null; // a queued task unmarked may lie in the parked run
    setMark(nodes, node, on);
    if (q == null) {
      timeline.recordChange(() -> setMark(nodes, node, !on), () -> setMark(nodes, node, on));
      return;
    }
    q.parkedTail = now;
    timeline.recordChange(() -> {
      setMark(nodes, node, !on);
      q.parkedTail = was;
    }, () -> {
      setMark(nodes, node, on);
      q.parkedTail = now;
    });
  }

  private static void setMark(LongObjectMap<Node> nodes, Node n, boolean on) {
    n.marked = on;
    if (n.owner != null) {
      n.owner.unmarked += on ? -1 : 1;
    } else if (on) {
      nodes.put(n.task, n);
    } else {
      nodes.remove(n.task);
    }
  }
}
