package kstack.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import kstack.exec.CodeMap;
import kstack.image.Symbol;
import kstack.image.SymbolTable;

/**
 * The breakpoints, by address: a breakpoint stops the run loop before the first step of its
 * function or label. Not journaled: setting one is the user's act, not the machine's state.
 */
final class Breakpoints {
  private final TreeSet<Long> at = new TreeSet<>(Long::compareUnsigned);
  private final SymbolTable symbols;
  private final CodeMap code;
  private final String image;
  /** Stop before whatever step comes next (gdb's starti): set by the gdb stub for a set-up only. */
  private boolean beforeNextStep;

  Breakpoints(SymbolTable symbols, CodeMap code, String image) {
    this.symbols = symbols;
    this.code = code;
    this.image = image;
  }

  void add(String symbol) {
    Symbol s = symbols.get(symbol);
    if (s == null || (s.kind() != Symbol.Kind.FUNC && s.kind() != Symbol.Kind.LABEL)
        || code.at(s.address()) == null) {
      throw new IllegalArgumentException("no function named " + symbol + " in the "
          + image + " image");
    }
    at.add(s.address());
  }

  /** A breakpoint at an address that holds a step (gdb's Z0 packet): before that step runs. */
  void addAddress(long addr) {
    if (code.at(addr) == null) {
      throw new IllegalArgumentException(String.format("no code at 0x%x in the %s image", addr,
          image));
    }
    at.add(addr);
  }

  void remove(long addr) {
    at.remove(addr);
  }

  void clear() {
    at.clear();
  }

  void stopBeforeNextStep(boolean on) {
    beforeNextStep = on;
  }

  boolean at(long pc) {
    return beforeNextStep || at.contains(pc);
  }

  /** Each breakpoint as symbol+offset, in address order. */
  List<String> names() {
    List<String> out = new ArrayList<>();
    for (long b : at) {
      out.add(symbols.describe(b));
    }
    return out;
  }
}
