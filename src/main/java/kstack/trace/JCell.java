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

  public void set(T v) {
    T old = value;
    value = v;
    timeline.recordChange(() -> value = old, () -> value = v);
  }
}
