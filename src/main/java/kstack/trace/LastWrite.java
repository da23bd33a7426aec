package kstack.trace;

/**
 * Where the recorded history last changed an address ({@link Timeline#lastWrite}).
 *
 * @param kind what was found
 * @param step {@link Kind#STEP}: the step whose end the change precedes (a command's set-up just
 *     before a step counts with that step); {@link Kind#SETUP}: the step after whose end a command's
 *     set-up made it; {@link Kind#THINNED}: the last step of the thinned block that changed it;
 *     {@link Kind#NONE}: where the recorded history begins
 * @param from {@link Kind#THINNED}: the step the block begins after; otherwise equal to step
 */
public record LastWrite(Kind kind, long step, long from) {
  /** How precisely the change is known. */
  public enum Kind {
    /** Made by this step, found entry by entry. */
    STEP,
    /** Made between steps, by the set-up of a command not yet stepped. */
    SETUP,
    /** Made somewhere in a thinned block of history: only the block is known. */
    THINNED,
    /** No recorded change: the value was there when the history began. */
    NONE
  }
}
