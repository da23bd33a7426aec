package kstack.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import kstack.lang.Result;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.trace.Event;

/**
 * One tab's run through time: how far it reaches (the machine's recorded history, from its first
 * to its last step) and the typed events met on the way, so that the page can seek to any step of
 * it and jump to the next or previous event of a kind. Seeking is the machine's own {@code record
 * goto} ({@link Machine#seek}): back or forward without executing. A command that executes from a
 * point in the past runs live from there, and the machine discards the recorded future (as gdb's
 * record-full does); one that only reads (bt, p, x, ...) or changes a setting leaves it as it was.
 */
final class History {
  /** An event of the run: the step it happened in, its kind for the page's jumps, its story line. */
  record Mark(long step, Kind kind, int cpu, String text) {}

  /** The kinds of event the page can jump between. */
  enum Kind {
    SYSCALL("syscall entry"), STACK("stack switch"), SWITCH("context switch"), IRQ("IRQ"),
    OTHER("event");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind of(Event e) {
      if (e instanceof Event.SyscallEntry || e instanceof Event.SyscallFromKernel) {
        return SYSCALL;
      }
      if (e instanceof Event.StackSwitch) {
        return STACK;
      }
      if (e instanceof Event.ContextSwitch) {
        return SWITCH;
      }
      return e instanceof Event.InterruptDelivered ? IRQ : OTHER;
    }

    /** The kind a page parameter names (syscall, stack, switch, irq), or null. */
    static Kind named(String name) {
      for (Kind k : values()) {
        if (k != OTHER && k.name().equalsIgnoreCase(name)) {
          return k;
        }
      }
      return null;
    }
  }

  private final Session session;
  /** Every event of the recorded run, the future beyond the present step included. */
  private final List<Mark> marks = new ArrayList<>();

  /** A history starting where fresh's session (a machine that has run the scenario) stands. */
  History(Supplier<Session> fresh) {
    this.session = fresh.get();
    syncMarks(0);
  }

  Session session() {
    return session;
  }

  Machine machine() {
    return session.machine();
  }

  long step() {
    return machine().timeline().steps();
  }

  /** The last recorded step: the end of the run. */
  long frontier() {
    return machine().timeline().endSteps();
  }

  /** The earliest step the history reaches back to. */
  long floor() {
    return machine().timeline().firstStep();
  }

  List<Mark> marks() {
    return marks;
  }

  /**
   * Runs one command line where the machine stands. A command that executed steps from a point in
   * the past replaced the recorded future (the machine discarded it): the events from here on are
   * the new run's. Anything else leaves the run ahead as it was.
   */
  Result run(String line) {
    Machine m = machine();
    int position = m.timeline().position();
    long end = frontier();
    int kept = m.timeline().events().size();
    try {
      return session.execute(new Source.Line("<web>", 1, 1, line));
    } finally {
      if (m.timeline().position() != position || frontier() != end) {
        syncMarks(kept);
      }
    }
  }

  /** Goes to step (between {@link #floor} and {@link #frontier}, clamped) without executing. */
  void seek(long target) {
    long s = Math.max(floor(), Math.min(frontier(), target));
    if (s != step()) {
      machine().seek(s);
    }
  }

  /** The step of the next (forward) or previous event of the kind from here, or -1 when none. */
  long eventStep(Kind kind, boolean forward) {
    long now = step();
    if (forward) {
      for (Mark k : marks) {
        if (k.kind() == kind && k.step() > now) {
          return k.step();
        }
      }
      return -1;
    }
    for (int i = marks.size() - 1; i >= 0; i--) {
      Mark k = marks.get(i);
      if (k.kind() == kind && k.step() < now) {
        return k.step();
      }
    }
    return -1;
  }

  /** The marks up to kept stay (the machine's events are their prefix); its newer events are added. */
  private void syncMarks(int kept) {
    marks.subList(Math.min(kept, marks.size()), marks.size()).clear();
    var t = machine().timeline();
    List<Event> events = t.events();
    for (int i = marks.size(); i < events.size(); i++) {
      Event e = events.get(i);
      marks.add(new Mark(t.stepOf(i), Kind.of(e), e.cpu(), e.describe()));
    }
  }
}
