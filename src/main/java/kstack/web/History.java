package kstack.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.trace.Event;

/**
 * One tab's run through time: the command lines that made it (after the scenario), how far it has
 * gone (the frontier, in steps) and the typed events met on the way, so that the page can seek to
 * any step of it and jump to the next or previous event of a kind. Going back is the machine's own
 * undo (reverse-stepi); going forward again, until the machine can seek without re-executing, is a
 * replay of the scenario and the logged lines on a fresh machine, which the model's determinism
 * makes byte-exact, then undo back to the step asked for. {@link #seek} is the one place to change
 * when the machine gains a seek of its own.
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

  /** Commands that only read the machine and the settings (unless the timeline says otherwise). */
  private static final java.util.Set<String> READS = java.util.Set.of("bt", "p", "print", "x",
      "info", "stack", "ps", "list", "ptype", "whatis", "help", "struct", "output");

  private final Supplier<Session> fresh;
  private Session session;
  /** The lines run after the scenario, in order: replaying them on a fresh session reaches the frontier. */
  private final List<String> log = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();
  private long frontier;
  /** The earliest step history reaches back to. */
  private long floor;

  /** A history starting where fresh's session (a machine that has run the scenario) stands. */
  History(Supplier<Session> fresh) {
    this.fresh = fresh;
    this.session = fresh.get();
    syncMarks(0);
    atFrontier();
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

  long frontier() {
    return frontier;
  }

  long floor() {
    return floor;
  }

  List<Mark> marks() {
    return marks;
  }

  /**
   * Runs one command line where the machine stands. A command that changed the machine, or that
   * may change what later commands do (break, delete, set: settings outside the journal), makes
   * this moment the new frontier (what lay beyond it is forgotten, as in any debugger), and the log
   * says to replay it here; one that only read the machine (bt, p, x, ...) behind the frontier
   * leaves the run ahead as it was and is not replayed.
   */
  Result run(String line) {
    Machine m = machine();
    long at = step();
    int position = m.timeline().position();
    int kept = m.timeline().events().size();
    Result r = null;
    ScriptError failed = null;
    try {
      r = session.execute(new Source.Line("<web>", 1, 1, line));
    } catch (ScriptError e) {
      failed = e;
    }
    boolean wrote = m.timeline().position() != position || step() != at;
    boolean changed = wrote || !READS.contains(line.strip().split("[\\s/(]", 2)[0]);
    if (at < frontier && changed) {
      log.add("reverse-stepi " + (frontier - at)); // where the replayed run left off for this line
    }
    if (at == frontier || changed) {
      log.add(line);
    }
    if (changed) {
      syncMarks(kept);
      atFrontier();
    }
    if (failed != null) {
      throw failed;
    }
    return r;
  }

  /** Goes to step (between {@link #floor} and {@link #frontier}, clamped) without changing the run. */
  void seek(long target) {
    long s = Math.max(floor, Math.min(frontier, target));
    if (s > step()) {
      replayToFrontier();
    }
    if (s < step()) {
      machine().reverseStepi((int) (step() - s));
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

  private void atFrontier() {
    frontier = step();
    floor = frontier - machine().timeline().undoableSteps();
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

  /** A fresh session runs the scenario and the log again: the same run, to the frontier. */
  private void replayToFrontier() {
    Session s = fresh.get();
    for (String line : log) {
      try {
        s.execute(new Source.Line("<web>", 1, 1, line));
      } catch (ScriptError e) {
        // it failed the first time too: the same line fails the same way
      }
    }
    long reached = s.machine().timeline().steps();
    if (reached != frontier) {
      throw new IllegalStateException("the replay reached step " + reached + ", not the frontier "
          + frontier + " (the run is not deterministic)");
    }
    session = s;
  }
}
