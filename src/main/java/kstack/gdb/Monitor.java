package kstack.gdb;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;

/**
 * gdb's {@code monitor COMMAND} (the qRcmd packet): a command of kstack's command language, run by
 * the same {@link Session} as {@code kstack run -e}, its lines sent back as console output. gdb does
 * not expect a monitor command to move the machine (it keeps its copy of the registers), so a
 * command that starts new work ({@code syscall}, {@code spawn}, {@code irq}, ...) does only its
 * set-up here and stops before its first step, as gdb's {@code starti} does: gdb's own
 * {@code continue} then runs it, with gdb's breakpoints inserted. The commands that only move the
 * machine have gdb's own equivalents and are refused with their name. A failing command answers
 * with its located message ({@code monitor:N:COL: ...}); the session goes on.
 */
final class Monitor {
  /** The commands that start new work: set up here, run by gdb's continue. */
  private static final Set<String> STARTS = Set.of("boot", "spawn", "kthread", "syscall",
      "sysenter", "call", "recurse", "irq", "tick", "nmi", "exception");
  /** kstack's run commands and gdb's own for them. */
  private static final java.util.Map<String, String> GDB_HAS = java.util.Map.of("continue",
      "continue", "c", "continue", "run", "continue", "stepi", "stepi", "si", "stepi",
      "reverse-stepi", "reverse-stepi", "rsi", "reverse-stepi", "finish", "finish");

  private final Session session;
  private final Machine m;
  private final Packets io;
  private int number;

  Monitor(Session session, Packets io) {
    this.session = session;
    this.m = session.machine();
    this.io = io;
  }

  void run(String text) throws IOException {
    number++;
    StringBuilder out = new StringBuilder();
    try {
      Source.Line l = Source.commandLine(number, text);
      Source.Line line = new Source.Line("monitor", number, l.column(), l.text());
      if (!line.text().isEmpty()) {
        execute(line).forEach(s -> out.append(s).append('\n'));
      }
    } catch (ScriptError e) {
      out.append(e.located().replaceFirst("^-e:", "monitor:")).append('\n');
    }
    io.console(out.toString());
    io.send("OK");
  }

  private List<String> execute(Source.Line line) {
    String word = line.text().split("[\\s/(]", 2)[0];
    if (GDB_HAS.containsKey(word)) {
      throw new ScriptError("monitor", line.number(), line.column(), "'" + word + "' moves the "
          + "machine behind gdb's back: use gdb's own '" + GDB_HAS.get(word) + "'");
    }
    if (!STARTS.contains(word)) {
      return session.execute(line).text();
    }
    Result r;
    m.stopBeforeNextStep(true);
    try {
      r = session.execute(line);
    } finally {
      m.stopBeforeNextStep(false);
    }
    if (!"breakpoint".equals(r.json().get("stop"))) {
      return r.text();
    }
    List<String> text = new java.util.ArrayList<>(r.text().subList(0, r.text().size() - 1));
    text.add("'" + line.text() + "' is set up on cpu " + m.selectedCpu() + " and stopped before "
        + "its first step, at " + m.describe(m.cpu(m.selectedCpu()).pc()) + ": 'continue' runs it"
        + " (gdb's breakpoints apply; 'maint flush register-cache' shows the set-up's registers)");
    return text;
  }
}
