package kstack.machine;

import kstack.cpu.Cpu;
import kstack.image.Symbol;

/**
 * gdb's {@code advance LOCATION}: the machine runs (every CPU in turn, as {@code continue} runs it)
 * until the selected CPU is about to take the first step of LOCATION, a function or label of the
 * image. A breakpoint on the way stops it first; a machine that goes idle before says so. Like
 * {@code finish}, it nests in a stopped command, which is pending again once it is reached.
 */
final class Advance {
  private Advance() {}

  /** The address of location, a function or label of the image; refused naming the command. */
  static long location(Machine m, String command, String location) {
    Symbol s = m.symbols().get(location);
    if (s == null || (s.kind() != Symbol.Kind.FUNC && s.kind() != Symbol.Kind.LABEL)
        || m.routineAt(s.address()) == null) {
      throw new IllegalArgumentException(command + ": no function named " + location + " in the "
          + m.profile().label() + " image");
    }
    return s.address();
  }

  static Outcome to(Machine m, RunLoop loop, String location) {
    long target = location(m, "advance", location);
    int cpu = m.selectedCpu();
    Cpu c = m.cpu(cpu);
    ControlState control = loop.control();
    Outcome o = loop.start(new Goal("advance", () -> c.pc() == target,
        () -> "Advanced to " + location + " on cpu " + cpu + " ("
            + m.inspector().whoIsCurrent(cpu, true) + ")", null, control.pending(),
        control.stops(), true));
    return new Outcome(o.stop() == Outcome.Stop.DONE ? Outcome.Stop.STEPPED : o.stop(),
        o.message(), o.events());
  }
}
