package kstack.trace;

import java.util.ArrayList;
import java.util.List;

/** A FIFO list of kernel bookkeeping (a run queue, a wait queue) whose changes are recorded. */
public final class JList<T> {
  private final Timeline timeline;
  private final ArrayList<T> list = new ArrayList<>();

  public JList(Timeline timeline) {
    this.timeline = timeline;
  }

  public void addLast(T v) {
    list.add(v);
    timeline.recordChange(() -> list.remove(list.size() - 1), () -> list.add(v));
  }

  public void addFirst(T v) {
    list.add(0, v);
    timeline.recordChange(() -> list.remove(0), () -> list.add(0, v));
  }

  public T removeFirst() {
    T v = list.remove(0);
    timeline.recordChange(() -> list.add(0, v), () -> list.remove(0));
    return v;
  }

  public boolean remove(T v) {
    int i = list.indexOf(v);
    if (i < 0) {
      return false;
    }
    list.remove(i);
    timeline.recordChange(() -> list.add(i, v), () -> list.remove(i));
    return true;
  }

  public T get(int i) {
    return list.get(i);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public int size() {
    return list.size();
  }

  public boolean contains(T v) {
    return list.contains(v);
  }

  public List<T> snapshot() {
    return List.copyOf(list);
  }
}
