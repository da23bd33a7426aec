package kstack.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kstack.mem.LongLongMap;

/**
 * The places of every task on the run lists of one kernel, as a struct of arrays indexed by slot:
 * a task queued or marked once keeps its slot (a slot off every list and unmarked is simply idle),
 * each list's head is a slot too. A million runnable tasks cost a million entries in a few
 * primitive arrays (20 bytes each, and 16 to 32 of index) rather than a million node objects for
 * the collector to trace. The slot numbers are private: nothing said about a list depends on them,
 * so a slot kept by a task whose queueing was undone changes nothing.
 */
final class RunSlots {
  /** Each task's slot plus one (0: none yet). */
  private final LongLongMap slotOf = new LongLongMap();
  private long[] task = new long[16];
  private int[] prev = new int[16];
  private int[] next = new int[16];
  /** Per slot: the index + 1 of the list it is on (0: none), shifted left once; bit 0: marked. */
  private int[] state = new int[16];
  private int used;
  /** The lists, by index: a slot names the list it is on by this index. */
  private final List<RunList> lists = new ArrayList<>();

  /** The task's slot, or -1 when it never was queued or marked. */
  int find(long t) {
    return (int) slotOf.get(t) - 1;
  }

  /** The task's slot, made if it has none. */
  int slot(long t) {
    int s = find(t);
    if (s < 0) {
      s = newSlot(t);
      slotOf.put(t, s + 1L);
    }
    return s;
  }

  /** A list's head: a slot with no task, linked to itself. */
  int newHead() {
    int h = newSlot(0);
    prev[h] = h;
    next[h] = h;
    return h;
  }

  /** Adds a list; returns the index its slots name it by. */
  int register(RunList list) {
    lists.add(list);
    return lists.size() - 1;
  }

  private int newSlot(long t) {
    if (used == task.length) {
      int n = used * 2;
      task = Arrays.copyOf(task, n);
      prev = Arrays.copyOf(prev, n);
      next = Arrays.copyOf(next, n);
      state = Arrays.copyOf(state, n);
    }
    task[used] = t;
    prev[used] = -1;
    next[used] = -1;
    return used++;
  }

  long task(int s) {
    return task[s];
  }

  int prev(int s) {
    return prev[s];
  }

  int next(int s) {
    return next[s];
  }

  void setPrev(int s, int p) {
    prev[s] = p;
  }

  void setNext(int s, int n) {
    next[s] = n;
  }

  boolean marked(int s) {
    return (state[s] & 1) != 0;
  }

  void setMarked(int s, boolean on) {
    state[s] = (state[s] & ~1) | (on ? 1 : 0);
  }

  /** The index of the list the slot is on, or -1. */
  int list(int s) {
    return (state[s] >>> 1) - 1;
  }

  /** The list the slot is on, or null. */
  RunList owner(int s) {
    int i = list(s);
    return i < 0 ? null : lists.get(i);
  }

  /** Puts the slot on the list with index list (-1: on none). */
  void setOwner(int s, int list) {
    state[s] = (list + 1) << 1 | (state[s] & 1);
  }

  /** The marked tasks, ascending. */
  List<Long> marked() {
    List<Long> out = new ArrayList<>();
    for (int s = 0; s < used; s++) {
      if (task[s] != 0 && marked(s)) {
        out.add(task[s]);
      }
    }
    out.sort(null);
    return out;
  }
}
