package kstack.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kstack.exec.CodeMap;
import kstack.image.Symbol;
import kstack.image.SymbolTable;

/**
 * The breakpoints, by address: a breakpoint stops the run loop before the first step of its
 * function or label. Not journaled: setting one is the user's act, not the machine's state. The run
 * loop asks before every step, so the set is a sorted array of addresses (unsigned order), searched
 * without boxing; with none set the answer costs one comparison.
 */
final class Breakpoints {
  private long[] at = new long[0];
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
    insert(s.address());
  }

  /** Adds address a to the sorted array (once). */
  private void insert(long a) {
    if (find(a) < 0) {
      at = Arrays.copyOf(at, at.length + 1);
      at[at.length - 1] = a;
      for (int i = at.length - 1; i > 0 && Long.compareUnsigned(at[i - 1], at[i]) > 0; i--) {
        long t = at[i - 1];
        at[i - 1] = at[i];
        at[i] = t;
      }
    }
  }

  /** A breakpoint at an address that holds a step (gdb's Z0 packet): before that step runs. */
  void addAddress(long addr) {
    if (code.at(addr) == null) {
      throw new IllegalArgumentException(String.format("no code at 0x%x in the %s image", addr,
          image));
    }
    insert(addr);
  }

  void remove(long addr) {
    int i = find(addr);
    if (i >= 0) {
      long[] out = new long[at.length - 1];
      System.arraycopy(at, 0, out, 0, i);
      System.arraycopy(at, i + 1, out, i, at.length - i - 1);
      at = out;
    }
  }

  boolean remove(String symbol) {
    Symbol s = symbols.get(symbol);
    if (s == null || find(s.address()) < 0) {
      return false;
    }
    remove(s.address());
    return true;
  }

  void clear() {
    at = new long[0];
  }

  void stopBeforeNextStep(boolean on) {
    beforeNextStep = on;
  }

  /** Whether no breakpoint is set (names() is empty). */
  boolean none() {
    return at.length == 0;
  }

  boolean at(long pc) {
    return beforeNextStep || at.length != 0 && find(pc) >= 0;
  }

  /** The index of address a in the sorted array, or -1. */
  private int find(long a) {
    int lo = 0;
    int hi = at.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(at[mid], a);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
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
