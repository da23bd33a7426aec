package kstack.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import kstack.mem.Memory;
import kstack.mem.StoreWatch;

/**
 * gdb's watchpoints ({@code watch EXPR}): each watches the bytes of one object, an lvalue's address
 * range in one store (the kernel's, or a process's user space), and stops a run after a step that
 * changed them. The expression is resolved to its range once, when the watchpoint is set; a run
 * then evaluates nothing per step: the watched store's hook ({@link StoreWatch}) keeps the
 * bytes a watched range held before a step's first store into it, and after that step only those
 * ranges are compared with what they hold now. A store elsewhere costs two comparisons, and a step
 * that stores into no watched range costs one test of a flag.
 *
 * <p>Not journaled: setting one is the user's act, as a breakpoint is.
 */
public final class Watchpoints implements StoreWatch {
  /** The most bytes one watchpoint watches (a struct's worth: task_struct fits). */
  static final int MAX_BYTES = 1 << 16;

  /** One watchpoint; {@code before} holds its bytes before the step's first store into it. */
  private static final class Watch {
    final int number;
    final String label;
    final Memory space;
    final long addr;
    final int len;
    final Function<byte[], String> show;
    byte[] before;

    Watch(int number, String label, Memory space, long addr, int len, Function<byte[], String> show) {
      this.number = number;
      this.label = label;
      this.space = space;
      this.addr = addr;
      this.len = len;
      this.show = show;
    }

    boolean overlaps(Memory s, long a, int size) {
      return s == space && Long.compareUnsigned(a + size, addr) > 0
          && Long.compareUnsigned(a, addr + len) < 0;
    }

    byte[] now() {
      byte[] out = new byte[len];
      for (int i = 0; i < len; i++) {
        out[i] = (byte) space.peekRaw(addr + i, 1);
      }
      return out;
    }

    String header() {
      return "Watchpoint " + number + ": " + label;
    }
  }

  private final List<Watch> watches = new ArrayList<>();
  private int next = 1;
  /** Whether the current step stored into a watched range. */
  private boolean touched;

  /**
   * Watches len bytes at addr in space; show renders the object's bytes as its value. The number
   * of the new watchpoint.
   */
  public int add(String label, Memory space, long addr, int len, Function<byte[], String> show) {
    if (len < 1 || len > MAX_BYTES) {
      throw new IllegalArgumentException("watch: " + label + " is " + len + " bytes; a watchpoint"
          + " watches 1 to " + MAX_BYTES);
    }
    Watch w = new Watch(next++, label, space, addr, len, show);
    watches.add(w);
    hook(space);
    return w.number;
  }

  public boolean remove(int number) {
    for (Watch w : watches) {
      if (w.number == number) {
        watches.remove(w);
        hook(w.space);
        return true;
      }
    }
    return false;
  }

  public void clear() {
    for (Watch w : List.copyOf(watches)) {
      remove(w.number);
    }
  }

  /** Points space's store hook at the hull of the ranges watched in it (none: no hook). */
  private void hook(Memory space) {
    long lo = -1;
    long hi = 0;
    for (Watch w : watches) {
      if (w.space == space) {
        lo = Long.compareUnsigned(w.addr, lo) < 0 ? w.addr : lo;
        hi = Long.compareUnsigned(w.addr + w.len, hi) > 0 ? w.addr + w.len : hi;
      }
    }
    space.setStoreWatch(hi == 0 ? null : this, lo, hi);
  }

  /** Whether no watchpoint is set: the run loop then skips what a step does for them. */
  boolean none() {
    return watches.isEmpty();
  }

  /**
   * A step begins: what a command's set-up stored since the last step (a system call's arguments
   * in user memory) is the debugger's doing, not a step's, and stops nothing.
   */
  void beginStep() {
    if (touched) {
      touched = false;
      for (Watch w : watches) {
        w.before = null;
      }
    }
  }

  @Override
  public void beforeStore(Memory space, long addr, int size) {
    for (Watch w : watches) {
      if (w.before == null && w.overlaps(space, addr, size)) {
        w.before = w.now();
        touched = true;
      }
    }
  }

  /**
   * After a step of cpu that began at pc: what gdb says of each watchpoint whose value the step
   * changed (null: none changed). Clears what the step kept.
   */
  String afterStep(Machine m, int cpu, long pc) {
    if (!touched) {
      return null;
    }
    touched = false;
    List<String> said = new ArrayList<>();
    for (Watch w : watches) {
      if (w.before != null) {
        byte[] now = w.now();
        if (!Arrays.equals(w.before, now)) {
          said.add(changed(w, w.before, now));
        }
        w.before = null;
      }
    }
    return said.isEmpty() ? null : String.join("\n\n", said) + "\n" + by(m, cpu, pc);
  }

  /** Each watchpoint's bytes now, in order (a reverse run compares them across a step back). */
  List<byte[]> values() {
    List<byte[]> out = new ArrayList<>();
    for (Watch w : watches) {
      out.add(w.now());
    }
    return out;
  }

  /**
   * A step taken back changed watched bytes from later (values() before it): what gdb says, the old
   * value being the later one, as a reverse run meets them; null when none changed.
   */
  String changedBack(Machine m, int cpu, List<byte[]> later) {
    List<String> said = new ArrayList<>();
    for (int i = 0; i < watches.size() && i < later.size(); i++) {
      Watch w = watches.get(i);
      byte[] now = w.now();
      if (!Arrays.equals(later.get(i), now)) {
        said.add(changed(w, later.get(i), now));
      }
    }
    return said.isEmpty() ? null : String.join("\n\n", said) + "\n" + by(m, cpu, m.cpu(cpu).pc());
  }

  private static String changed(Watch w, byte[] old, byte[] now) {
    return w.header() + "\n\nOld value = " + w.show.apply(old) + "\nNew value = "
        + w.show.apply(now);
  }

  /** The step that wrote: its text, CPU and the task current there. */
  private static String by(Machine m, int cpu, long pc) {
    return "Changed by the step " + m.inspector().describeStep(pc) + " on cpu " + cpu + " ("
        + m.inspector().whoIsCurrent(cpu, true) + ")";
  }

  /** info watchpoints: number, what is watched and where. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Watch w : watches) {
      out.add(String.format("%-3d watchpoint  %s  (%d byte%s at 0x%x, %s)", w.number, w.label,
          w.len, w.len == 1 ? "" : "s", w.addr, w.space.label()));
    }
    return out;
  }
}
