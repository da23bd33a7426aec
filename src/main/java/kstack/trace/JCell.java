package kstack.trace;

/** A value of kernel bookkeeping whose every change is recorded on the timeline. */
public final class JCell<T> {
  private final Timeline timeline;
  private T value;

  public JCell(Timeline timeline, T initial) {
    this.timeline = timeline;
    this.value = initial;
  }

  public T get() {
    return value;
  }

  /** Sets the value; setting the very object it holds changes nothing and records nothing. */
  public void set(T v) {
    T old = value;
    if (old == v) {
      return;
    }
    value = v;
    timeline.record(new Set<>(this, old, v));
  }

  /** One change of a cell, as one object (two actions and their captures would be three). */
  private record Set<T>(JCell<T> cell, T old, T now) implements Timeline.Change {
    @Override
    public void undo() {
      cell.value = old;
    }

    @Override
    public void redo() {
      cell.value = now;
    }
  }
}
