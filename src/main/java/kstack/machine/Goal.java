package kstack.machine;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What an execution command runs toward, and what it says when reached. {@code idle}, when not null,
 * says what happened if the machine settles before the goal is reached (null: the generic "machine
 * idle before ..." line).
 *
 * <p>A goal is part of the machine's state on the timeline: the pending goal is journaled, and so is
 * every piece of progress a goal keeps (made with {@link kstack.trace.JCell}), so that reversing into
 * a command makes its goal pending again exactly as it was there, and reversing before the command's
 * set-up makes it not pending at all.
 *
 * <p>{@code outer} is the command a breakpoint had stopped when this one was given (an interrupt, a
 * {@code finish}): this goal then stops as soon as it is reached, and the outer one is pending again,
 * stopped where it was.
 *
 * <p>{@code begun} is this goal's own record of when its command was first given (each goal
 * object is one command: a nested goal is a new one).
 */
record Goal(String name, BooleanSupplier reached, Supplier<String> done, Supplier<String> idle,
    Goal outer, long[] outerStops, boolean stopAtGoal, Begun begun) {
  Goal(String name, BooleanSupplier reached, Supplier<String> done) {
    this(name, reached, done, null, null, null, false, new Begun());
  }

  Goal(String name, BooleanSupplier reached, Supplier<String> done, Supplier<String> idle) {
    this(name, reached, done, idle, null, null, false, new Begun());
  }

  Goal(String name, BooleanSupplier reached, Supplier<String> done, Supplier<String> idle,
      Goal outer, long[] outerStops, boolean stopAtGoal) {
    this(name, reached, done, idle, outer, outerStops, stopAtGoal, new Begun());
  }

  /**
   * How many breakpoint reports there had been when the goal's command was first given; -1 until
   * then. Set once ({@link ControlState#begin}), never changed after: not journaled, as a command
   * reversed into and continued is still the command given then.
   */
  static final class Begun {
    int reports = -1;
  }

  /**
   * The same goal given while outer was stopped, each CPU's stop pc in outerStops: it nests inside
   * outer and stops when reached.
   */
  Goal nestedIn(Goal outer, long[] outerStops) {
    return outer == null ? this : new Goal(name, reached, done, idle, outer, outerStops, true);
  }

  /** Whether this goal or one it nests in is named name. */
  boolean within(String name) {
    for (Goal g = this; g != null; g = g.outer) {
      if (g.name.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
