package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import kstack.machine.Machine;
import kstack.stack.StackWord;
import kstack.machine.TaskInfo;

/** The commands, each a short method; names and meanings follow gdb where gdb has the command. */
final class Commands {
  private final Session s;
  private final Machine m;

  Commands(Session s) {
    this.s = s;
    this.m = s.machine();
  }

  Result run(Call c) {
    String cmd = c.line.text();
    return switch (c.word) {
      case "boot" -> noArgs(c, () -> s.outcome(cmd, m.boot()));
      case "spawn" -> s.outcome(cmd, m.spawn(name(c, "spawn NAME")));
      case "kthread" -> s.outcome(cmd, m.kthread(name(c, "kthread NAME")));
      case "syscall" -> syscall(c, cmd, false);
      case "sysenter" -> syscall(c, cmd, true);
      case "call" -> userCall(c, cmd);
      case "break", "b" -> breakpoint(c, cmd);
      case "delete" -> noArgs(c, () -> {
        m.deleteBreakpoints();
        return Result.of(cmd, List.of("Deleted all breakpoints."));
      });
      case "continue", "c" -> noArgs(c, () -> s.outcome(cmd, started(c, RESUME).continueRun()));
      case "run" -> noArgs(c, () -> s.outcome(cmd, started(c, RESUME).run()));
      case "stepi", "si" -> stepi(c, cmd);
      case "reverse-stepi", "rsi" -> {
        long n = c.args().isBlank() ? 1 : c.eval(c.args(), c.argsCol()).asLong();
        if (n < 1 || n > Integer.MAX_VALUE) {
          throw c.errorAtArgs("reverse-stepi: N must be 1 or more");
        }
        try {
          yield s.outcome(cmd, m.reverseStepi((int) n));
        } catch (IllegalArgumentException e) {
          throw c.errorAtArgs(e.getMessage());
        }
      }
      case "finish" -> noArgs(c, () -> s.outcome(cmd, m.finish()));
      case "irq" -> {
        if (c.args().isEmpty()) {
          throw c.errorAtWord("usage: irq N (a device line, 0-15)");
        }
        long n = c.eval(c.args(), c.argsCol()).asLong();
        yield s.outcome(cmd, started(c, VECTORS).irq((int) Math.max(-1, Math.min(n, 1000))));
      }
      case "tick" -> noArgs(c, () -> s.outcome(cmd, started(c, VECTORS).tick()));
      case "nmi" -> noArgs(c, () -> s.outcome(cmd, started(c, VECTORS).nmi()));
      case "exception" -> {
        if (c.args().isBlank()) {
          throw c.errorAtWord("usage: exception db|mc");
        }
        try {
          yield s.outcome(cmd, started(c, VECTORS).exception(c.args().trim()));
        } catch (IllegalArgumentException e) {
          throw c.errorAtArgs(e.getMessage());
        }
      }
      case "recurse" -> {
        if (c.args().isEmpty()) {
          throw c.errorAtWord("usage: recurse N (frames of 256 bytes, in the kernel)");
        }
        long n = c.eval(c.args(), c.argsCol()).asLong();
        yield s.outcome(cmd, m.recurse((int) Math.max(-1, Math.min(n, 1_000_000))));
      }
      case "cpu" -> cpu(c, cmd);
      case "p", "print" -> print(c, cmd);
      case "bt", "backtrace" -> backtrace(c, cmd);
      case "ps" -> noArgs(c, () -> ps(cmd));
      case "x" -> Examine.run(s, c, cmd);
      case "stack" -> stack(c, cmd);
      case "struct" -> Inspect.struct(s, c, cmd);
      case "info" -> Inspect.info(s, c, cmd);
      case "console" -> noArgs(c, () -> Result.of(cmd, m.consoleLines()).with("lines",
          m.consoleLines()));
      case "help" -> Result.of(cmd, Help.lines());
      default -> throw c.errorAtWord(c.word.isEmpty() ? "expected a command"
          : "unknown command '" + c.word + "' (try 'help')");
    };
  }

  /** Why continue and run refuse on a machine that has not started. */
  private static final String RESUME = "there is nothing to resume ('stepi' steps through boot "
      + "from its first instruction)";
  /** Why irq, tick, nmi and exception refuse on a machine that has not started. */
  private static final String VECTORS = "no interrupt or exception can be taken before the boot "
      + "code has installed the vectors (the IDT on x86, VBAR_EL1 on arm64)";

  /**
   * The machine, if it has taken a step; at power-on (no step yet, or every step taken back) the
   * command refuses with the reason instead of silently running the whole boot as its side effect.
   */
  private Machine started(Call c, String why) {
    if (m.timeline().steps() == 0) {
      throw c.errorAtWord("the machine has not booted: run 'boot' first; " + why);
    }
    return m;
  }

  private Result noArgs(Call c, java.util.function.Supplier<Result> body) {
    if (!c.args().isEmpty()) {
      throw c.errorAtArgs("'" + c.word + "' takes no arguments");
    }
    return body.get();
  }

  private String name(Call c, String usage) {
    String a = c.args();
    if (a.isEmpty()) {
      throw c.errorAtWord("usage: " + usage);
    }
    if (a.contains(" ")) {
      throw c.errorAtArgs("usage: " + usage);
    }
    return a;
  }

  private Result breakpoint(Call c, String cmd) {
    String sym = name(c, "break SYMBOL");
    try {
      m.addBreakpoint(sym);
    } catch (IllegalArgumentException e) {
      throw c.errorAtArgs(e.getMessage());
    }
    long a = m.symbols().get(sym).address();
    int n = m.breakpoints().size();
    return Result.of(cmd, List.of(String.format("Breakpoint %d at 0x%x <%s>", n, a, sym)))
        .with("address", hex(a));
  }

  private Result stepi(Call c, String cmd) {
    int n = 1;
    if (!c.args().isEmpty()) {
      long v = c.eval(c.args(), c.argsCol()).asLong();
      if (v < 1 || v > 10_000_000) {
        throw c.errorAtArgs("stepi: the count must be 1 to 10000000");
      }
      n = (int) v;
    }
    Result r = s.outcome(cmd, m.stepi(n));
    return r.with("pc", hex(m.cpu(m.selectedCpu()).pc()));
  }

  private Result cpu(Call c, String cmd) {
    if (c.args().isEmpty()) {
      return Result.of(cmd, List.of("cpu " + m.selectedCpu())).with("cpu", m.selectedCpu());
    }
    long v = c.eval(c.args(), c.argsCol()).asLong();
    if (v < 0 || v >= m.cpuCount()) {
      throw c.errorAtArgs("no CPU " + v + " (this machine has " + m.cpuCount() + ")");
    }
    m.selectCpu((int) v);
    return Result.of(cmd, List.of("Selected cpu " + v + ": " + m.where((int) v)))
        .with("cpu", (int) v);
  }

  private Result print(Call c, String cmd) {
    String rest = c.rest;
    char fmt = 0;
    int col = c.restCol;
    if (rest.startsWith("/")) {
      if (rest.length() < 2 || "xduotca".indexOf(rest.charAt(1)) < 0) {
        throw c.errorAtArgs("unknown print format (use /x, /d, /u, /o, /t, /c or /a)");
      }
      fmt = rest.charAt(1);
      rest = rest.substring(2);
      col += 2;
    }
    int lead = 0;
    while (lead < rest.length() && Character.isWhitespace(rest.charAt(lead))) {
      lead++;
    }
    String expr = rest.substring(lead);
    if (expr.isEmpty()) {
      throw new ScriptError(c.line.file(), c.line.number(), col, "print: expected an expression");
    }
    Value v = c.eval(expr, col + lead);
    String shown = Expressions.format(v, fmt, m);
    int n = s.nextValueNumber();
    return Result.of(cmd, List.of("$" + n + " = " + shown)).with("value", Expressions.toJson(v, m));
  }

  private Integer pidArg(Call c) {
    if (c.args().isEmpty()) {
      return null;
    }
    long v = c.eval(c.args(), c.argsCol()).asLong();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw c.errorAtArgs("not a pid: " + v);
    }
    if (m.findTaskByVpid((int) v) == 0) {
      throw c.errorAtArgs("no task with pid " + v);
    }
    return (int) v;
  }

  private Result backtrace(Call c, String cmd) {
    if (BtArgs.check(c)) {
      return StackCheck.checkStacks(m, cmd);
    }
    Integer pid = pidArg(c);
    List<Frame> frames = m.backtrace(pid);
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    int i = 0;
    StackKind lastStack = null;
    String stopped = null;
    for (Frame f : frames) {
      if (f.function().equals(Frame.STOPPED)) {
        stopped = f.note();
        text.add("Backtrace stopped: " + f.note() + " (the stack or a task pointer is corrupt)");
        continue;
      }
      if (f.function().startsWith("---")) {
        text.add("    --- <" + (f.stackName().isEmpty() ? f.stack().label() : f.stackName())
            + ": pt_regs> --- " + f.note());
        continue;
      }
      boolean first = lastStack == null;
      if ((first && f.stack() != StackKind.TASK && f.stack() != StackKind.USER)
          || (!first && lastStack != f.stack() && f.stack() != StackKind.USER)) {
        text.add("    --- <" + (f.stackName().isEmpty() ? stackName(f.stack()) : f.stackName())
            + "> ---");
      }
      lastStack = f.stack();
      String off = f.offset() == 0 ? "" : "+0x" + Long.toHexString(f.offset());
      text.add(String.format("#%-2d " + m.hexFormat() + " in %s%s  [%s]%s", i++, f.address(), f.function(), off,
          f.stack().label(), f.note().isEmpty() ? "" : "  (" + f.note() + ")"));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("function", f.function());
      o.put("address", hex(f.address()));
      o.put("stack", f.stack().label());
      if (!f.stackName().isEmpty()) {
        o.put("stack_name", f.stackName());
      }
      json.add(o);
    }
    long task = pid == null ? m.current() : m.findTaskByVpid(pid);
    String overwritten = m.kernel().stacks.overwritten(task);
    Result r;
    if (overwritten == null) {
      int tpid = m.kernel().tasks.pid(task);
      text.add(0, "Backtrace of pid " + tpid + " (" + m.kernel().tasks.comm(task) + ")");
      r = Result.of(cmd, text).with("pid", tpid);
    } else if (overwritten.contains("unreadable")) {
      text.add(0, String.format("Backtrace of the current task of cpu %d: its task_struct pointer "
          + m.hexFormat() + " is unreadable (overwritten?)", m.selectedCpu(), task));
      r = Result.of(cmd, text);
    } else {
      text.add(0, String.format("Backtrace of %s: its %s (by a stack overflow?)", pid == null
          ? "the current task of cpu " + m.selectedCpu() : "pid " + pid, overwritten));
      r = Result.of(cmd, text);
    }
    r = r.with("frames", json);
    return stopped == null ? r : r.with("stopped", stopped);
  }

  private Result ps(String cmd) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    String col = "%-" + String.format(m.hexFormat(), 0L).length() + "s";
    // as ps -eLf: PID is the thread group (tgid), LWP the task's own pid
    text.add(String.format("%5s %5s %5s %3s %2s  " + col + "  " + col + "  %s", "PID", "LWP", "PPID",
        "CPU", "ST", "TASK", "STACK", "COMM"));
    List<TaskInfo> tasks = new ArrayList<>();
    String broken = m.psUntilCorrupt(tasks);
    for (TaskInfo t : tasks) {
      boolean running = m.cpuRunning(t.task()) >= 0;
      text.add(String.format("%s%4d %5d %5d %3d %2s  " + m.hexFormat() + "  " + m.hexFormat()
              + "  %s", running ? ">" : " ", t.tgid(), t.pid(), t.ppid(), t.cpu(), t.state(),
          t.task(), t.stack(), t.comm()));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pid", t.pid());
      o.put("tgid", t.tgid());
      o.put("comm", t.comm());
      o.put("state", t.state());
      o.put("cpu", t.cpu());
      o.put("ppid", t.ppid());
      o.put("task", hex(t.task()));
      o.put("stack", hex(t.stack()));
      json.add(o);
    }
    if (broken != null) {
      text.add(broken);
    }
    Result r = Result.of(cmd, text).with("tasks", json);
    return broken == null ? r : r.with("task_list_corrupt", broken);
  }

  private Result stack(Call c, String cmd) {
    Integer pid = pidArg(c);
    long task = pid == null ? m.current() : m.findTaskByVpid(pid);
    String overwritten = m.kernel().stacks.overwritten(task);
    if (overwritten != null) {
      throw new IllegalStateException("the " + (pid == null ? "current task's " : "pid " + pid
          + "'s ") + overwritten + " (by a stack overflow?): the stack it points to cannot be "
          + "found; 'x' still reads memory by address");
    }
    List<StackWord> words = m.stack(pid);
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    long base = m.kernel().stacks.stack(task);
    text.add(String.format("Kernel stack of pid %d (%s): 0x%x..0x%x (THREAD_SIZE %d), "
        + "pt_regs at 0x%x", m.kernel().tasks.pid(task), m.kernel().tasks.comm(task), base,
        base + m.kernel().threadSize, m.kernel().threadSize, m.taskPtRegs(task)));
    for (StackWord w : words) {
      text.add(String.format(m.hexFormat() + ": " + m.hexFormat() + "  %-7s %s", w.address(), w.value(), w.kind().label(),
          w.label()));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("address", hex(w.address()));
      o.put("value", hex(w.value()));
      o.put("kind", w.kind().label());
      o.put("label", w.label());
      json.add(o);
    }
    return Result.of(cmd, text).with("pid", m.kernel().tasks.pid(task)).with("words", json);
  }

  private Result syscall(Call c, String cmd, boolean viaVdso) {
    CallSyntax call = CallSyntax.parse(c);
    List<Machine.Arg> args = new ArrayList<>();
    for (CallSyntax.Arg a : call.args()) {
      if (a.isString()) {
        args.add(Machine.Arg.of(a.string()));
      } else {
        args.add(Machine.Arg.of(c.eval(a.text(), a.column()).asLong()));
      }
    }
    Result r = s.outcome(cmd, viaVdso ? m.sysenter(call.name(), args)
        : m.syscall(call.name(), args));
    var regs = m.arch().registers();
    return r.with(regs.name(regs.ret), hex(m.cpu(m.selectedCpu()).get(regs.ret)));
  }

  private Result userCall(Call c, String cmd) {
    CallSyntax call = CallSyntax.parse(c);
    List<Long> args = new ArrayList<>();
    for (CallSyntax.Arg a : call.args()) {
      if (a.isString()) {
        throw new ScriptError(c.line.file(), c.line.number(), a.column(),
            "call: arguments are integers");
      }
      args.add(c.eval(a.text(), a.column()).asLong());
    }
    Result r;
    try {
      r = s.outcome(cmd, m.call(call.name(), args));
    } catch (IllegalArgumentException e) {
      throw c.errorAtArgs(e.getMessage());
    }
    var regs = m.arch().registers();
    return r.with(regs.name(regs.ret), hex(m.cpu(m.selectedCpu()).get(regs.ret)));
  }

  static String stackName(StackKind kind) {
    return switch (kind) {
      case IRQ -> "IRQ stack";
      default -> kind.label() + " stack";
    };
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
