package kstack.lang.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kstack.layout.CType;
import kstack.machine.Machine;

/**
 * gdb's value history and convenience variables, kept by one session: every {@code print} records
 * its value as {@code $N} ({@code $} is the last, {@code $$} the one before, {@code $$N} N back from
 * the last), and {@code set $name = EXPR} keeps a value under a name usable in any later expression.
 * A scalar is kept as the value it had when recorded (as gdb does); a struct or array is kept as the
 * object at its address, so printing it again reads the machine's memory as it is then.
 */
public final class Variables {
  /** gdb's own bound on what a history or variable can hold is memory; ours is this many entries. */
  static final int MAX_HISTORY = 100_000;

  private final List<Value> history = new ArrayList<>();
  private final Map<String, Value> convenience = new TreeMap<>();

  /**
   * Where the selected frame keeps a parameter or local of this name (null: it has none): set by
   * the session, whose frame selection this is.
   */
  private java.util.function.Function<String, Long> frameSlots = name -> null;

  /** Names the selected frame's parameters and locals for expressions (gdb's frame scope). */
  public void frameSlots(java.util.function.Function<String, Long> slots) {
    frameSlots = slots;
  }

  /** The address of the selected frame's parameter or local name, or null. */
  Long frameSlot(String name) {
    return frameSlots.apply(name);
  }

  /** Records v as the next history value; returns its number (1 for the first). */
  public int record(Value v) {
    if (history.size() == MAX_HISTORY) {
      history.remove(0);
    }
    history.add(kept(v));
    return history.size();
  }

  /** Sets {@code $name}; name has no '$'. */
  public void set(String name, Value v) {
    convenience.put(name, kept(v));
  }

  /** The convenience variables, by name, in name order. */
  public Map<String, Value> convenience() {
    return Collections.unmodifiableMap(convenience);
  }

  /** The value of {@code $name}, or null when it was never set. */
  Value variable(String name) {
    return convenience.get(name);
  }

  /**
   * A history reference as written: "$" (the last), "$$" (the one before), "$$N" (N back from the
   * last) or "$N" (number N).
   */
  Value history(String spelling, int col) {
    if (history.isEmpty()) {
      throw new ExprError(col, "history is empty: 'p EXPR' records its value as $1");
    }
    int last = history.size();
    int n;
    if (spelling.startsWith("$$")) {
      String back = spelling.substring(2);
      n = last - (back.isEmpty() ? 1 : parse(back, col));
    } else if (spelling.equals("$")) {
      n = last;
    } else {
      n = parse(spelling.substring(1), col);
    }
    if (n < 1 || n > last) {
      throw new ExprError(col, "history has no value " + spelling + " (it holds $1 to $" + last
          + ")");
    }
    return history.get(n - 1);
  }

  private static int parse(String digits, int col) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new ExprError(col, "history number " + digits + " is out of range");
    }
  }

  /** A scalar object is read now; a struct or array stays the object at its address. */
  private static Value kept(Value v) {
    if (v instanceof Value.LValue lv) {
      CType t = lv.type();
      Machine m = lv.machine();
      if (t instanceof CType.Int) {
        return new Value.Int(Mem.scalar(m, lv.address(), t, 1), t);
      }
      if (t instanceof CType.Ptr) {
        return new Value.Pointer(Mem.scalar(m, lv.address(), t, 1), t);
      }
    }
    return v;
  }
}
