package kstack.gdb;

import java.io.IOException;
import java.util.TreeSet;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.trace.Event;

/**
 * What runs the machine for gdb: {@code c}, {@code s} (and their vCont forms) forward, {@code bs}
 * and {@code bc} backward on the machine's timeline, and the {@code Z0}/{@code z0} breakpoints they
 * stop at. A run's story lines reach gdb's console as {@code O} packets before the stop reply; the
 * stop reply names the CPU (thread) that stopped and, at a breakpoint, says {@code swbreak} so gdb
 * does not move the pc back over a trap instruction (the model stops before the step).
 */
final class Resume {
  private static final int SIGINT = 2;
  private static final int SIGTRAP = 5;
  private static final int SIGSEGV = 11;

  private final Machine m;
  private final Packets io;
  /** The addresses of gdb's inserted breakpoints, for reverse-continue. */
  private final TreeSet<Long> inserted = new TreeSet<>(Long::compareUnsigned);

  Resume(Machine m, Packets io) {
    this.m = m;
    this.io = io;
  }

  /** T packet: the signal and the selected CPU as the thread; swbreak at a breakpoint. */
  String stopReply(int signal) {
    return String.format("T%02xthread:%x;", signal, m.selectedCpu() + 1);
  }

  /** Z0/Z1 insert a breakpoint, z0/z1 remove it; other kinds (watchpoints) are not offered. */
  String breakpoint(String p) {
    String[] a = p.substring(1).split(",");
    if (!a[0].equals("0") && !a[0].equals("1")) {
      return "";
    }
    long addr = Long.parseUnsignedLong(a[1], 16);
    if (p.charAt(0) == 'z') {
      m.removeBreakpointAt(addr);
      inserted.remove(addr);
      return "OK";
    }
    m.addBreakpointAt(addr);
    inserted.add(addr);
    return "OK";
  }

  /** c, s, bs, bc (an address after c or s is where to resume, as the packet allows). */
  String run(String p) throws IOException {
    if (p.equals("bs")) {
      return reverseStep();
    }
    if (p.equals("bc")) {
      return reverseContinue();
    }
    if (p.length() > 1 && (p.charAt(0) == 'c' || p.charAt(0) == 's')) {
      m.cpu(m.selectedCpu()).set(m.cpu(m.selectedCpu()).registers().pc,
          Long.parseUnsignedLong(p.substring(1), 16));
    }
    return p.charAt(0) == 's' ? step() : cont();
  }

  /** vCont? lists the actions; vCont;ACTION[:TID]... carries out the first action. */
  String vcont(String p) throws IOException {
    if (p.equals("vCont?")) {
      return "vCont;c;C;s;S";
    }
    if (!p.startsWith("vCont;")) {
      return "";
    }
    String action = p.substring(6).split(";")[0];
    int colon = action.indexOf(':');
    if (colon >= 0) {
      String tid = action.substring(colon + 1);
      long t = Long.parseLong(tid, 16);
      if (t >= 1 && t <= m.cpuCount()) {
        m.selectCpu((int) t - 1);
      }
      action = action.substring(0, colon);
    }
    return switch (action.charAt(0)) {
      case 's', 'S' -> step();
      case 'c', 'C' -> cont();
      default -> "E01";
    };
  }

  private String step() throws IOException {
    try {
      return stopped(m.stepi(1));
    } catch (IllegalStateException e) {
      console(e.getMessage()); // nothing to step on this CPU: gdb sees it stopped where it was
      return stopReply(SIGTRAP);
    }
  }

  private String cont() throws IOException {
    if (m.timeline().steps() == 0) {
      console("the machine has not booted: 'monitor boot' runs the boot, 'stepi' steps into it");
      return stopReply(SIGTRAP);
    }
    try {
      return stopped(m.continueRun());
    } catch (IllegalStateException e) {
      console(e.getMessage());
      return stopReply(SIGTRAP);
    }
  }

  private String reverseStep() throws IOException {
    if (m.timeline().undoableSteps() == 0) {
      return replayBegin();
    }
    console(m.reverseStepi(1).message());
    return stopReply(SIGTRAP);
  }

  /** Back step by step until a CPU stands at one of gdb's breakpoints, or history begins. */
  private String reverseContinue() throws IOException {
    while (m.timeline().undoableSteps() > 0) {
      m.reverseStepi(1);
      for (int c = 0; c < m.cpuCount(); c++) {
        if (inserted.contains(m.cpu(c).pc())) {
          m.selectCpu(c);
          console("Breakpoint at " + m.describe(m.cpu(c).pc()) + " on cpu " + c + " (reversed)");
          return stopReply(SIGTRAP) + "swbreak:;";
        }
      }
    }
    return replayBegin();
  }

  private String replayBegin() {
    return stopReply(SIGTRAP) + "replaylog:begin;";
  }

  /** The stop reply of a forward run, after its story lines; SIGINT if Ctrl-C came meanwhile. */
  private String stopped(Outcome o) throws IOException {
    for (Event e : o.events()) {
      console(e.describe());
    }
    console(o.message());
    if (io.interruptWaiting()) {
      return stopReply(SIGINT);
    }
    return switch (o.stop()) {
      case BREAKPOINT -> stopReply(SIGTRAP) + "swbreak:;";
      case PANIC -> stopReply(SIGSEGV);
      default -> stopReply(SIGTRAP);
    };
  }

  private void console(String line) throws IOException {
    io.console(line + "\n");
  }
}
