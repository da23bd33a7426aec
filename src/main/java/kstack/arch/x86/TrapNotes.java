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

  public static void note(Kernel k, Exec x, String what, String msg) {
    k.timeline.emit(new Event.Note(x.cpu().id(), what, String.format("%s (running on %s 0x%x)",
        msg, k.arch.registers().name(k.arch.registers().sp), x.sp())));
  }

  /** What a DR6 = 0 #DB from user mode does: SIGTRAP for the current task, not delivered here. */
  public static String sigtrap(Kernel k, Exec x) {
    return "DR6 = 0 from user mode looks like an icebp (int1): send_sigtrap() queues SIGTRAP for pid "
        + k.tasks.pid(k.current(x)) + " (signal delivery is not modelled)";
  }
}
