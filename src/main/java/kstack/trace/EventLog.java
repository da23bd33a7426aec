package kstack.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The events emitted so far (the present's past) and, after going back, the ones taken back (the
 * recorded future), each with the step count when it was emitted, kept as primitives.
 */
final class EventLog {
  private final List<Event> present = new ArrayList<>();
  /** Taken back, the next one to re-append last. */
  private final List<Event> future = new ArrayList<>();
  /** The step of event i, present or future (future events follow the present ones). */
  private long[] stepOf = new long[256];

  void add(Event e, long step) {
    int i = present.size();
    if (i == stepOf.length) {
      stepOf = Arrays.copyOf(stepOf, i * 2);
    }
    stepOf[i] = step;
    present.add(e);
  }

  List<Event> present() {
    return present;
  }

  int size() {
    return present.size();
  }

  long stepOf(int index) {
    if (index < 0 || index >= present.size()) {
      throw new IndexOutOfBoundsException("no event " + index);
    }
    return stepOf[index];
  }

  /** Takes the newest event back into the future. */
  void takeBack() {
    future.add(present.remove(present.size() - 1));
  }

  /** Re-appends the next event of the future. */
  void bringBack() {
    present.add(future.remove(future.size() - 1));
  }

  /** Moves events between past and future until n are present. */
  void moveTo(int n) {
    while (present.size() > n) {
      takeBack();
    }
    while (present.size() < n) {
      bringBack();
    }
  }

  void forgetFuture() {
    future.clear();
  }

  void clear() {
    present.clear();
    future.clear();
  }
}
