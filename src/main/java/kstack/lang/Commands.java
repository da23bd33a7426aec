package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Suggest;
import kstack.lang.expr.Value;
import kstack.machine.Machine;
import kstack.stack.TaskStack;

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
    return switch (Help.resolve(c.word)) {
      case "boot" -> noArgs(c, () -> s.outcome(cmd, m.boot()));
      case "spawn" -> s.outcome(cmd, m.spawn(name(c, "spawn NAME")));
      case "kthread" -> s.outcome(cmd, m.kthread(name(c, "kthread NAME")));
      case "syscall" -> syscall(c, cmd, false);
      case "sysenter" -> syscall(c, cmd, true);
      case "call" -> userCall(c, cmd);
      case "break", "b" -> breakpoint(c, cmd);
      case "tbreak" -> {
        Result r = breakpoint(c, cmd);
        s.temporaryBreaks().add(c.args());
        yield new Result(cmd, List.of("Temporary b" + r.text().get(0).substring(1)), r.json());
      }
      case "advance" -> {
        String where = name(c, "advance LOCATION");
        try {
          yield s.outcome(cmd, started(c, "advance runs it from where it is").advance(where));
        } catch (IllegalArgumentException e) {
          throw c.errorAtArgs(e.getMessage() + Suggest.hint(where, functionNames()));
        }
      }
      case "delete" -> Watch.delete(s, c, cmd);
      case "watch" -> Watch.watch(s, c, cmd);
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
      case "reverse-continue", "rc" -> noArgs(c, () -> {
        try {
          return s.outcome(cmd, m.reverseContinue());
        } catch (IllegalArgumentException e) {
          throw c.errorAtWord(e.getMessage());
        }
      });
      case "finish" -> noArgs(c, () -> s.outcome(cmd, m.finish()));
      case "step", "s", "next", "n", "until", "u", "reverse-step", "rs", "reverse-next", "rn",
          "reverse-finish" -> StepCmds.run(s, c, cmd, Help.find(c.word).orElseThrow().name());
      case "frame", "f" -> FrameCmds.frame(s, c, cmd);
      case "up" -> FrameCmds.move(s, c, cmd, 1);
      case "down" -> FrameCmds.move(s, c, cmd, -1);
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
      case "p", "print" -> GdbValues.print(s, c, cmd);
      case "set" -> c.args().startsWith("max-steps") ? set(c, cmd)
          : c.args().startsWith("history-budget") ? HistoryCmds.setBudget(s, c, cmd)
          : GdbValues.set(s, c, cmd);
      case "record" -> HistoryCmds.record(s, c, cmd);
      case "blame" -> HistoryCmds.blame(s, c, cmd);
      case "ptype" -> GdbValues.ptype(s, c, cmd);
      case "whatis" -> GdbValues.whatis(s, c, cmd);
      case "display" -> s.displays().display(s, c, cmd);
      case "undisplay" -> s.displays().undisplay(c, cmd);
      case "bt", "backtrace" -> backtrace(c, cmd);
      case "ps" -> noArgs(c, () -> StackViews.ps(m, cmd, m.inspector().snapshot()));
      case "x" -> Examine.run(s, c, cmd);
      case "stack" -> stack(c, cmd);
      case "struct" -> Inspect.struct(s, c, cmd);
      case "info" -> Inspect.info(s, c, cmd);
      case "console" -> noArgs(c, () -> Result.of(cmd, m.inspector().consoleLines()).with("lines",
          m.inspector().consoleLines()));
      case "export" -> Export.run(s, c, cmd);
      case "task" -> TaskCmd.run(s, c, cmd);
      case "rd" -> Rd.run(s, c, cmd);
      case "list" -> ListCmd.run(s, c, cmd);
      case "help" -> help(c, cmd);
      default -> throw c.errorAtWord(unknown(c.word));
    };
  }

  /** Why a word is no command: none typed, several it may abbreviate, or the closest name. */
  private static String unknown(String word) {
    if (word.isEmpty()) {
      return "expected a command";
    }
    List<String> several = Help.startingWith(word);
    if (several.size() > 1) {
      return "ambiguous command '" + word + "': " + String.join(", ", several);
    }
    return "unknown command '" + word + "' (try 'help')" + Suggest.hint(word, Help.names());
  }

  /** help, or help COMMAND with its usage and an example. */
  private Result help(Call c, String cmd) {
    if (c.args().isEmpty()) {
      return Result.of(cmd, Help.lines());
    }
    String name = c.args();
    return Result.of(cmd, Help.find(name).map(Help::command).orElseThrow(() -> c.errorAtArgs(
        "no command '" + name + "' (try 'help')" + Suggest.hint(name, Help.names()))));
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
      throw c.errorAtArgs(e.getMessage() + Suggest.hint(sym, functionNames()));
    }
    s.temporaryBreaks().keep(sym);
    long a = m.symbols().get(sym).address();
    int n = m.breakpoints().size();
    return Result.of(cmd, List.of(String.format("Breakpoint %d at 0x%x <%s>", n, a, sym)))
        .with("address", hex(a));
  }

  private List<String> functionNames() {
    return m.symbols().all().stream().filter(x -> x.kind() == kstack.image.Symbol.Kind.FUNC)
        .map(kstack.image.Symbol::name).sorted().toList();
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

  /** {@code set max-steps N}: the runaway limit of every later command. */
  private Result set(Call c, String cmd) {
    String a = c.args();
    if (!a.startsWith("max-steps")) {
      throw c.errorAtArgs("set: expected max-steps N");
    }
    String e = a.substring("max-steps".length()).strip();
    if (e.isEmpty()) {
      throw c.errorAtArgs("usage: set max-steps N");
    }
    long v = c.eval(e, c.argsCol() + a.indexOf(e, "max-steps".length())).asLong();
    if (v < 1) {
      throw c.errorAtArgs("set max-steps: N must be at least 1");
    }
    m.setMaxSteps(v);
    return Result.of(cmd, List.of("A command is stopped as a runaway after " + v + " steps."))
        .with("max_steps", v);
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
    return Result.of(cmd, List.of("Selected cpu " + v + ": " + m.inspector().where((int) v)))
        .with("cpu", (int) v);
  }

  private Integer pidArg(Call c) {
    return c.args().isEmpty() ? null : pid(c, c.args(), c.argsCol());
  }

  /** The pid an expression at column col gives, refused when no task has it. */
  private Integer pid(Call c, String expr, int col) {
    long v = c.eval(expr, col).asLong();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw c.errorAtArgs("not a pid: " + v);
    }
    if (m.inspector().findTaskByVpid((int) v) == 0) {
      throw c.errorAtArgs("no task with pid " + v);
    }
    return (int) v;
  }

  private Result backtrace(Call c, String cmd) {
    if (BtArgs.check(c)) {
      return StackCheck.checkStacks(m, cmd);
    }
    if (BtArgs.all(c)) {
      return BtAll.run(m, cmd);
    }
    BtArgs.Shape shape = BtArgs.shape(c);
    Integer pid = shape.pid().isEmpty() ? null : pid(c, shape.pid(), shape.pidCol());
    return Backtraces.run(m, cmd, pid, shape);
  }

  private Result stack(Call c, String cmd) {
    boolean draw = c.args().equals("--draw") || c.args().startsWith("--draw ");
    Integer pid = draw ? drawPid(c) : pidArg(c);
    long task = pid == null ? m.current() : m.inspector().findTaskByVpid(pid);
    String overwritten = m.kernel().stacks.overwritten(task);
    if (overwritten != null) {
      throw new IllegalStateException("the " + (pid == null ? "current task's " : "pid " + pid
          + "'s ") + overwritten + " (by a stack overflow?): the stack it points to cannot be "
          + "found; 'x' still reads memory by address");
    }
    TaskStack t = m.inspector().taskStack(pid, true);
    return draw ? Drawings.draw(m, cmd, t.owner().pid()) : StackViews.stack(m, cmd, t);
  }

  /** stack --draw [PID]: the pid after the option, or null. */
  private Integer drawPid(Call c) {
    String rest = c.args().substring("--draw".length()).strip();
    if (rest.isEmpty()) {
      return null;
    }
    return Drawings.pid(m, c, c.words().get(1));
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

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
