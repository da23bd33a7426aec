package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.machine.Machine;
import kstack.stack.FrameDetail;

/**
 * How a frame's details read: gdb's frame line with its arguments ({@code frame}, {@code up},
 * {@code down}), gdb's {@code info frame}, {@code info args} and {@code info locals}, and crash's
 * {@code bt -f} / {@code bt -F} words of a frame, each labelled with what the frame keeps there.
 */
final class FrameViews {
  /** The most words bt -f shows of one frame (a recursion's 256-byte frames are 32 on x86_64). */
  static final int MAX_WORDS = 512;

  private FrameViews() {}

  /** gdb's frame line: {@code #1  0x... in SyS_write+0x24 (fd=1, buf=0x600100)  [task]  FILE}. */
  static String line(Machine m, FrameDetail d) {
    var f = d.frame();
    String off = f.offset() == 0 ? "" : "+0x" + Long.toHexString(f.offset());
    String source = d.source().isEmpty() ? "" : "  " + d.source();
    return String.format("#%-2d " + m.hexFormat() + " in %s%s (%s)  [%s]%s", d.level(),
        f.address(), f.function(), off, slots(m, d.args(), ", "), f.stack().label(), source);
  }

  /** A word as gdb prints an integer of unknown type: small ones in decimal, the rest in hex. */
  static String value(Machine m, long v) {
    long w = m.arch().abi().wordSize() == 8 ? v : v & 0xffffffffL;
    return Long.compareUnsigned(w, 0x10000) < 0 ? Long.toString(w) : "0x" + Long.toHexString(w);
  }

  /** gdb's info frame, for the frame d between inner (the frame it called) and outer (its caller). */
  static List<String> info(Machine m, FrameDetail d, FrameDetail inner, FrameDetail outer) {
    var regs = m.arch().registers();
    String pc = regs.name(regs.pc);
    String fp = regs.name(regs.fp);
    String ret = regs.has("x30") ? "x30" : pc;
    List<String> out = new ArrayList<>();
    out.add("Stack level " + d.level() + ", frame at " + hexOr(m, d.cfa(), "<unknown>") + ":");
    String saved = d.savedPc() == 0 ? "" : "; saved " + pc + " = " + hex(m, d.savedPc()) + " <"
        + m.describe(d.savedPc()) + ">";
    out.add(" " + pc + " = " + hex(m, d.frame().address()) + " in " + m.describe(d.frame().address())
        + (d.source().isEmpty() ? "" : " (" + d.source() + ")") + saved);
    List<String> links = new ArrayList<>();
    if (outer != null) {
      links.add("called by frame at " + hexOr(m, outer.cfa(), "<unknown>"));
    }
    if (inner != null) {
      links.add("caller of frame at " + hexOr(m, inner.cfa(), "<unknown>"));
    }
    if (!links.isEmpty()) {
      out.add(" " + String.join(", ", links));
    }
    out.add(" on the " + StackViews.stackName(d.frame().stack()) + (d.frame().note().isEmpty() ? ""
        : " (" + d.frame().note() + ")"));
    if (d.record() == 0) {
      out.add(" no frame record: " + whyNoRecord(m, d, ret));
      return out;
    }
    out.add(" Arglist at " + hex(m, d.record()) + ", args: " + slots(m, d.args(), ", "));
    out.add(" Locals at " + hex(m, d.record()) + ", Previous frame's sp is " + hex(m, d.cfa()));
    out.add(" Saved registers:");
    out.add("  " + fp + " at " + hex(m, d.record()) + ", " + ret + " at " + hex(m, d.savedPcAt()));
    return out;
  }

  private static String whyNoRecord(Machine m, FrameDetail d, String ret) {
    var r = m.routineAt(d.frame().address());
    String where = d.savedPc() == 0 ? "" : d.savedPcAt() == 0
        ? "; the return address " + hex(m, d.savedPc()) + " is in " + ret
        : "; the return address " + hex(m, d.savedPc()) + " is at " + hex(m, d.savedPcAt());
    if (r == null || r.kind() == kstack.exec.Routine.Kind.ASM) {
      return "assembly keeps none (its caller was found through pt_regs or the entry's"
          + " own words)" + where;
    }
    if (d.level() == 0) {
      return (r.indexOf(d.frame().address()) < r.bodyStart() ? "the prologue has not built it yet"
          : "the epilogue has taken it down") + where;
    }
    return "the unwinder found the caller another way (pt_regs, a register)" + where;
  }

  /** info args / info locals: {@code name = value} lines, or why there are none. */
  static List<String> slots(Machine m, FrameDetail d, boolean args) {
    List<FrameDetail.Slot> slots = args ? d.args() : d.locals();
    if (slots.isEmpty()) {
      String what = args ? "arguments" : "locals";
      return List.of(d.record() == 0 ? "No " + what + " held in frame #" + d.level()
          + " (it has no frame record)" : "No " + what + ".");
    }
    List<String> out = new ArrayList<>();
    for (FrameDetail.Slot s : slots) {
      out.add(s.name() + " = " + value(m, s.value()));
    }
    return out;
  }

  private static String slots(Machine m, List<FrameDetail.Slot> slots, String sep) {
    List<String> out = new ArrayList<>();
    for (FrameDetail.Slot s : slots) {
      out.add(s.name() + "=" + value(m, s.value()));
    }
    return String.join(sep, out);
  }

  /**
   * crash's bt -f (symbolic: bt -F): the words of the frame, from its lowest address (its stack
   * pointer) to its CFA, each labelled with the parameter, local or record word it is.
   */
  static List<String> words(Machine m, FrameDetail d, boolean symbolic) {
    long low = d.low() != 0 ? d.low() : lowestSlot(d);
    long high = d.cfa();
    int w = m.arch().abi().wordSize();
    List<String> out = new ArrayList<>();
    if (low == 0 || high == 0 || Long.compareUnsigned(low, high) >= 0
        || (high - low) / w > MAX_WORDS) {
      return out;
    }
    var regs = m.arch().registers();
    for (long a = low; Long.compareUnsigned(a, high) < 0; a += w) {
      long v = m.inspector().read(a, w);
      String sym = symbolic ? m.symbols().describe(v) : null;
      String shown = sym != null ? sym : String.format(m.hexFormat(), v);
      out.add(String.format("    " + m.hexFormat() + ": %s%s", a, shown, label(d, a, regs)));
    }
    return out;
  }

  private static long lowestSlot(FrameDetail d) {
    long low = d.record();
    for (FrameDetail.Slot s : d.args()) {
      low = Math.min(low, s.address());
    }
    for (FrameDetail.Slot s : d.locals()) {
      low = Math.min(low, s.address());
    }
    return low;
  }

  private static String label(FrameDetail d, long a, kstack.cpu.RegisterSet regs) {
    if (d.record() != 0 && a == d.record()) {
      return "  saved " + regs.name(regs.fp) + " (frame record)";
    }
    if (d.savedPcAt() != 0 && a == d.savedPcAt()) {
      return "  return address";
    }
    for (FrameDetail.Slot s : d.args()) {
      if (s.address() == a) {
        return "  " + s.name() + " (argument)";
      }
    }
    for (FrameDetail.Slot s : d.locals()) {
      if (s.address() == a) {
        return "  " + s.name();
      }
    }
    return "";
  }

  private static String hex(Machine m, long v) {
    return String.format(m.hexFormat(), v);
  }

  private static String hexOr(Machine m, long v, String none) {
    return v == 0 ? none : hex(m, v);
  }
}
