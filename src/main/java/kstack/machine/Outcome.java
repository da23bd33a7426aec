package kstack.machine;

import java.util.List;
import kstack.trace.Event;

/**
 * How an execution command ended, and what happened meanwhile (the story lines).
 *
 * @param stop    why the machine stopped
 * @param message one line for the user, e.g. "Breakpoint at do_syscall_64" or "pid 5 returned 0"
 * @param events  the events recorded while the command ran, in order
 */
public record Outcome(Stop stop, String message, List<Event> events) {

  /** Why a run stopped. */
  public enum Stop {
    /** The command's goal was reached and the machine settled. */
    DONE,
    /** A breakpoint was reached before the first step of its symbol. */
    BREAKPOINT,
    /** A step changed the value a watchpoint watches ({@code watch EXPR}). */
    WATCHPOINT,
    /** stepi or finish completed. */
    STEPPED,
    /** Nothing is left to run and the goal cannot be reached (every CPU idle). */
    IDLE,
    /** The simulated kernel panicked; the machine is halted. */
    PANIC
  }
}
