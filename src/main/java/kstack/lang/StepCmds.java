package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.trace.Event;

/**
 * gdb's C-level stepping: {@code step [N]}, {@code next [N]}, {@code until [LOCATION]} and, back
 * in time, {@code reverse-step [N]}, {@code reverse-next [N]}, {@code reverse-finish}; the lines
 * are the modelled routines' C statements (machine.SourceLines). N repeats the command, stopping
 * early where a repetition stops for another reason (a breakpoint, a wait point, the history's
 * start).
 */
final class StepCmds {
  private StepCmds() {}

  static Result run(Session s, Call c, String cmd, String name) {
    Machine m = s.machine();
    if (m.timeline().steps() == 0 && !name.startsWith("reverse")) {
      throw c.errorAtWord("the machine has not booted: run 'boot' first ('stepi' steps through"
          + " boot from its first instruction)");
    }
    if (name.equals("until") && !c.args().isEmpty()) {
      return untilLocation(s, c, cmd);
    }
    int n = count(c, name);
    List<Event> events = new ArrayList<>();
    Outcome o = null;
    for (int i = 0; i < n; i++) {
      o = oneOf(c, m, name);
      events.addAll(o.events());
      if (o.stop() != Outcome.Stop.STEPPED || o.message().contains("No more reverse-execution")) {
        break;
      }
    }
    return s.outcome(cmd, new Outcome(o.stop(), o.message(), events))
        .with("pc", Commands.hex(m.cpu(m.selectedCpu()).pc()));
  }

  private static Outcome oneOf(Call c, Machine m, String name) {
    try {
      return m.lineStep(name);
    } catch (IllegalArgumentException e) {
      throw c.errorAtWord(e.getMessage());
    }
  }

  private static int count(Call c, String name) {
    if (c.args().isEmpty()) {
      return 1;
    }
    if (name.equals("reverse-finish")) {
      throw c.errorAtArgs("'reverse-finish' takes no arguments");
    }
    long v = c.eval(c.args(), c.argsCol()).asLong();
    if (v < 1 || v > 1_000_000) {
      throw c.errorAtArgs(name + ": the count must be 1 to 1000000");
    }
    return (int) v;
  }

  private static Result untilLocation(Session s, Call c, String cmd) {
    String where = c.args();
    if (where.contains(" ")) {
      throw c.errorAtArgs("usage: until [LOCATION]");
    }
    try {
      Machine m = s.machine();
      return s.outcome(cmd, m.until(where)).with("pc", Commands.hex(m.cpu(m.selectedCpu()).pc()));
    } catch (IllegalArgumentException e) {
      throw c.errorAtArgs(e.getMessage());
    }
  }
}
