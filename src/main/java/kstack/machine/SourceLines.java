package kstack.machine;

import java.util.Set;
import java.util.stream.Collectors;
import kstack.exec.Insn;
import kstack.exec.Routine;
import kstack.exec.RoutineBuilder;

/**
 * The C-level line structure of the modelled code, as {@code step} and {@code next} see it. A C
 * (or user) function's steps are its statements in the kernel's words; a statement starts at a step
 * of the body that does not finish the one before it: the prologue belongs to the function's
 * opening (gdb, too, stops after it), and a call's argument pop and result store, and the
 * epilogue's frame teardown and return, belong to the statement they end. In assembly every
 * instruction is a line of its own, as in a {@code .S} file.
 *
 * <p>And how control moved between two steps: a call (control reached a routine's first step other
 * than by falling through: a call, a tail call, a system call, an exception or interrupt vector), a
 * return (the ABI's return instruction, or control landing inside another routine: a return, an
 * {@code iret}, a {@code sysret}), or neither (the next step, a branch).
 */
final class SourceLines {
  /** How control moved from one step to the next. */
  enum Move { ON, CALL, RETURN }

  private final Machine m;
  /** The texts of the ABI's epilogue: the steps that tear a frame down and return. */
  private final Set<String> epilogue;
  /** The text of the ABI's return instruction, the epilogue's last step. */
  private final String ret;

  SourceLines(Machine m) {
    this.m = m;
    var steps = m.arch().abi().epilogue();
    this.epilogue = steps.stream().map(Insn::text).collect(Collectors.toUnmodifiableSet());
    this.ret = steps.get(steps.size() - 1).text();
  }

  /** Whether the step at pc starts a line (no code there counts as one: a step stops there). */
  boolean startsLine(long pc) {
    Routine r = m.routineAt(pc);
    if (r == null || r.kind() == Routine.Kind.ASM) {
      return true;
    }
    int i = r.indexOf(pc);
    if (i < r.bodyStart()) {
      return false;
    }
    String text = r.insn(i).text();
    return !RoutineBuilder.continuesCall(text) && !epilogue.contains(text);
  }

  /**
   * How the step at from moved control to to; returnPc is where the routine at to would return to,
   * read in the state right after the step ({@link #returnPc}), which tells a sibling call (gcc's
   * {@code return f(x)} as a jump: the caller's frame is replaced, not nested) from a call.
   */
  Move move(long from, long to, long returnPc) {
    Routine a = m.routineAt(from);
    Routine b = m.routineAt(to);
    boolean fallsThrough = a != null && a.kind() == Routine.Kind.ASM
        && to == from + Routine.INSN_SIZE; // assembly runs on into the next routine's code
    if (b != null && b.indexOf(to) == 0 && !fallsThrough) {
      boolean sibling = a != null && a.kind() != Routine.Kind.ASM && b.kind() != Routine.Kind.ASM
          && returnPc != from + Routine.INSN_SIZE;
      return sibling ? Move.ON : Move.CALL; // C never falls off its end: this is a call
    }
    if (a != null && a.kind() != Routine.Kind.ASM && a.insn(a.indexOf(from)).text().equals(ret)) {
      return Move.RETURN;
    }
    return a != b ? Move.RETURN : Move.ON;
  }

  /**
   * Where the function whose first step the CPU is about to take returns to (the ABI's rule, as
   * {@code finish} reads it); 0 when that cannot be read.
   */
  long returnPc(kstack.cpu.Cpu c) {
    var regs = m.arch().registers();
    long link = regs.has("x30") ? c.get("x30") : 0;
    try {
      var s = m.space(c);
      return m.arch().abi().returnSite(0, false, c.sp(), c.get(regs.fp), link,
          a -> s.read(a, m.arch().abi().wordSize())).pc();
    } catch (kstack.mem.MemoryFault e) {
      return 0;
    }
  }
}
