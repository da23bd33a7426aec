package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.machine.Blame;
import kstack.machine.Machine;
import kstack.trace.HistoryBudget;
import kstack.trace.LastWrite;
import kstack.trace.Timeline;

/**
 * The commands about the recorded history: gdb's {@code record goto STEP|begin|end}, {@code blame
 * ADDR}, {@code set history-budget SIZE} and {@code info history}.
 */
final class HistoryCmds {
  private HistoryCmds() {}

  static final String GOTO_USAGE = "record goto STEP|begin|end";

  /** {@code record goto STEP|begin|end}: the machine as it was when that step ended. */
  static Result record(Session s, Call c, String cmd) {
    String a = c.args().strip();
    if (!a.startsWith("goto")) {
      throw c.errorAtArgs("usage: " + GOTO_USAGE);
    }
    String where = a.substring(4).strip();
    if (where.isEmpty()) {
      throw c.errorAtArgs("usage: " + GOTO_USAGE);
    }
    Machine m = s.machine();
    Timeline t = m.timeline();
    long step = switch (where) {
      case "begin", "start" -> t.firstStep();
      case "end" -> t.endSteps();
      default -> c.eval(where, c.argsCol() + c.args().indexOf(where, c.args().indexOf("goto") + 4))
          .asLong();
    };
    try {
      return s.outcome(cmd, m.seek(step)).with("step", t.steps()).with("end", t.endSteps());
    } catch (IllegalArgumentException e) {
      throw c.errorAtArgs(e.getMessage());
    }
  }

  /** {@code blame ADDR}: the step that last wrote the word at ADDR. */
  static Result blame(Session s, Call c, String cmd) {
    if (c.args().isBlank()) {
      throw c.errorAtWord("usage: blame ADDR (the word there: which step last wrote it)");
    }
    Machine m = s.machine();
    long addr = Expressions.address(c.eval(c.args(), c.argsCol()), m);
    int size = m.arch().abi().wordSize();
    Blame b = m.blame(addr, size);
    String at = String.format(m.hexFormat(), addr);
    if (b.kind() == LastWrite.Kind.NONE && !m.space().isMapped(addr)) {
      throw c.errorAtArgs("blame: " + at + " is not mapped (no region holds it) and no recorded"
          + " step wrote it");
    }
    List<String> text = new ArrayList<>();
    switch (b.kind()) {
      case STEP -> {
        text.add(String.format("%s was last written by step %d: 0x%x -> 0x%x", at, b.step(),
            b.oldValue(), b.newValue()));
        text.add(String.format("  cpu %d, pid %d (%s): %s", b.cpu(), b.pid(), b.comm(), b.text()));
        text.add("  'record goto " + (b.step() - 1) + "' shows the machine before it, 'record goto "
            + b.step() + "' after it");
      }
      case SETUP -> text.add(String.format("%s was last written after step %d by the set-up of the"
          + " command under way (no step since): it holds 0x%x", at, b.step(), b.newValue()));
      case THINNED -> text.add(String.format("%s was last changed by one of steps %d..%d, in the"
          + " thinned part of the history (kept as checkpoints, not step by step): it holds 0x%x",
          at, b.from() + 1, b.step(), b.newValue()));
      case NONE -> text.add(String.format("No recorded step wrote %s: it holds 0x%x since %s", at,
          b.newValue(), b.step() == 0 ? "power-on (the kernel image put it there)"
              : "step " + b.step() + ", where the recorded history begins"));
      default -> throw new IllegalStateException("blame: " + b.kind());
    }
    Result r = Result.of(cmd, text).with("kind", b.kind().name().toLowerCase())
        .with("step", b.step()).with("value", b.newValue());
    return b.kind() == LastWrite.Kind.STEP ? r.with("cpu", b.cpu()).with("pid", b.pid())
        .with("comm", b.comm()).with("old", b.oldValue()).with("text", b.text()) : r;
  }

  /** {@code set history-budget SIZE}: SIZE in bytes, or with K, M or G. */
  static Result setBudget(Session s, Call c, String cmd) {
    String a = c.args().strip();
    String e = a.substring("history-budget".length()).strip();
    if (e.isEmpty()) {
      throw c.errorAtArgs("usage: set history-budget SIZE (bytes, or with K, M or G: 256M)");
    }
    char unit = Character.toUpperCase(e.charAt(e.length() - 1));
    int shift = switch (unit) {
      case 'K' -> 10;
      case 'M' -> 20;
      case 'G' -> 30;
      default -> 0;
    };
    String num = shift == 0 ? e : e.substring(0, e.length() - 1);
    long v = c.eval(num, c.argsCol() + c.args().indexOf(e)).asLong();
    if (v < 0 || v > (Long.MAX_VALUE >> shift)) {
      throw c.errorAtArgs("set history-budget: " + e + " is not a size");
    }
    try {
      s.machine().timeline().budget().setLimit(v << shift);
    } catch (IllegalArgumentException ex) {
      throw c.errorAtArgs("set " + ex.getMessage());
    }
    return Result.of(cmd, List.of("The recorded history is kept within " + (v << shift)
        + " bytes; older steps are thinned to checkpoints past it."))
        .with("history_budget", v << shift);
  }

  /** What the timeline keeps: the steps reached one by one, the thinned part, the budget. */
  static Result info(Machine m, String cmd) {
    Timeline t = m.timeline();
    HistoryBudget b = t.budget();
    long bytes = t.historyBytes();
    long whole = t.endSteps() - b.wholeFromStep();
    int undoable = t.undoableSteps();
    String perStep = whole == 0 ? "" : String.format(" (%.1f bytes a step)", (double) bytes / whole);
    List<String> text = new ArrayList<>();
    text.add(undoable + " of " + t.steps() + " steps can be taken back (reverse-stepi)"
        + (undoable == t.steps() && b.thinnedBlocks() == 0 ? ": every step since power-on is kept"
            : ""));
    text.add("journal: " + bytes + " bytes" + perStep);
    text.add("a command is stopped as a runaway after " + m.maxSteps() + " steps (set max-steps N)");
    if (t.futureSteps() > 0) {
      text.add(t.futureSteps() + " later step(s) recorded, up to step " + t.endSteps()
          + ": 'record goto STEP' goes forward without executing; a command run from here"
          + " discards them");
    }
    if (b.thinnedBlocks() > 0) {
      text.add("thinned: steps " + t.firstStep() + ".." + b.wholeFromStep() + " kept as "
          + b.thinnedBlocks() + " checkpoints about every " + b.granularity() + " steps"
          + " ('record goto' reaches them; reverse-stepi stops at step " + b.wholeFromStep() + ")");
    }
    text.add("history budget: " + b.heldBytes() + " of " + b.limit() + " bytes held, checkpoints"
        + " every " + b.checkpointInterval() + " steps (set history-budget SIZE)");
    return Result.of(cmd, text).with("steps", t.steps()).with("undoable_steps", undoable)
        .with("journal_bytes", bytes).with("max_steps", m.maxSteps())
        .with("end_step", t.endSteps()).with("first_step", t.firstStep())
        .with("whole_from_step", b.wholeFromStep()).with("thinned_blocks", b.thinnedBlocks())
        .with("granularity", b.granularity()).with("held_bytes", b.heldBytes())
        .with("history_budget", b.limit());
  }
}
