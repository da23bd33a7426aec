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

  boolean remove(String symbol) {
    Symbol s = symbols.get(symbol);
    return s != null && at.remove(s.address());
  }

  void clear() {
    at.clear();
  }

  boolean at(long pc) {
    return at.contains(pc);
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
