package kstack.tour;

/**
 * A tour that cannot be read or run: a malformed tour file, an unknown tour or language, a stop
 * whose command fails or whose region is not in the drawing. The message names the tour's file,
 * line and stop, on one line.
 */
public final class TourError extends RuntimeException {
  public TourError(String message) {
    super(kstack.lang.ScriptError.oneLine(message), null, false, false);
  }
}
