package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import kstack.machine.Machine;
import kstack.machine.Outcome;

/**
 * gdb's {@code tbreak SYMBOL}: a breakpoint deleted the first time it stops the machine. The machine
 * keeps only breakpoints; which of them are temporary is the session's bookkeeping, checked after
 * each stop.
 */
final class TemporaryBreaks {
  private final TreeSet<String> symbols = new TreeSet<>();

  void add(String symbol) {
    symbols.add(symbol);
  }

  /** A plain {@code break} on a temporary breakpoint's symbol makes it a lasting one. */
  void keep(String symbol) {
    symbols.remove(symbol);
  }

  void clear() {
    symbols.clear();
  }

  /**
   * After a stop at a breakpoint: deletes the temporary one the selected CPU stopped at; the line
   * that says so, or none.
   */
  List<String> afterStop(Machine m, Outcome o) {
    List<String> out = new ArrayList<>();
    if (o.stop() != Outcome.Stop.BREAKPOINT) {
      return out;
    }
    long pc = m.cpu(m.selectedCpu()).pc();
    for (String s : List.copyOf(symbols)) {
      if (m.symbols().get(s).address() == pc) {
        m.deleteBreakpoint(s);
        symbols.remove(s);
        out.add("Temporary breakpoint at " + s + " deleted.");
      }
    }
    return out;
  }
}
