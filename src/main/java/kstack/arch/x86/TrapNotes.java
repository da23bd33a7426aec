package kstack.arch.x86;

import kstack.exec.Exec;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * What an injected #DB, #MC or NMI finds, as a timeline note: the events carry nothing to handle (DR6
 * reads 0, no MCA bank is valid), so each handler finds no work and returns; the note says so and
 * names the stack it ran on.
 */
public final class TrapNotes {
  private TrapNotes() {}

  /**
   * The handler's conclusion, on the stack it runs on; a SIGTRAP outcome names current's pid (the
   * signal's target; -1 for the others, which read no task), release the kernel whose do_debug
   * sends SIGTRAP whatever the mode.
   */
  public static void note(Kernel k, Exec x, Event.TrapOutcome outcome, String release) {
    boolean sigtrap = outcome == Event.TrapOutcome.DB_USER_ICEBP
        || outcome == Event.TrapOutcome.DB_SIGTRAP_ANY_MODE;
    k.timeline.emit(new Event.TrapHandled(x.cpu().id(), outcome,
        sigtrap ? k.tasks.pid(k.current(x)) : -1, release, spName(k), x.sp()));
  }

  /** An NMI handled on the stack the handler runs on. */
  public static void nmi(Kernel k, Exec x, Event.NmiPath path) {
    k.timeline.emit(new Event.NmiHandled(x.cpu().id(), path, spName(k), x.sp()));
  }

  private static String spName(Kernel k) {
    return k.arch.registers().name(k.arch.registers().sp);
  }
}
