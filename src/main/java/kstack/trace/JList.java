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
    timeline.record(new Added<>(list, list.size() - 1, v));
  }

  public void addFirst(T v) {
    list.add(0, v);
    timeline.record(new Added<>(list, 0, v));
  }

  public T removeFirst() {
    T v = list.remove(0);
    timeline.record(new Removed<>(list, 0, v));
    return v;
  }

  public boolean remove(T v) {
    int i = list.indexOf(v);
    if (i < 0) {
      return false;
    }
    list.remove(i);
    timeline.record(new Removed<>(list, i, v));
    return true;
  }

  /** v was inserted at index i: one object a change (two actions would be three). */
  private record Added<T>(List<T> list, int i, T v) implements Timeline.Change {
    @Override
    public void undo() {
      list.remove(i);
    }

    @Override
    public void redo() {
      list.add(i, v);
    }
  }

  /** v was removed from index i. */
  private record Removed<T>(List<T> list, int i, T v) implements Timeline.Change {
    @Override
    public void undo() {
      list.add(i, v);
    }

    @Override
    public void redo() {
      list.remove(i);
    }
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
