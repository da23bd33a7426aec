package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.machine.Frame;
import kstack.machine.Machine;
import kstack.machine.StackWord;
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
      case "continue", "c" -> noArgs(c, () -> s.outcome(cmd, m.continueRun()));
      case "run" -> noArgs(c, () -> s.outcome(cmd, m.run()));
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
        yield s.outcome(cmd, m.irq((int) Math.max(-1, Math.min(n, 1000))));
      }
      case "tick" -> noArgs(c, () -> s.outcome(cmd, m.tick()));
      case "nmi" -> noArgs(c, () -> s.outcome(cmd, m.nmi()));
      case "exception" -> {
        if (c.args().isBlank()) {
          throw c.errorAtWord("usage: exception db|mc");
        }
        try {
          yield s.outcome(cmd, m.exception(c.args().trim()));
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
      case "x" -> Inspect.examine(s, c, cmd);
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
      if (rest.length() < 2 || "xduca".indexOf(rest.charAt(1)) < 0) {
        throw c.errorAtArgs("unknown print format (use /x, /d, /u, /c or /a)");
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
    if (c.args().equals("-v")) {
      return checkStacks(cmd);
    }
    Integer pid = pidArg(c);
    List<Frame> frames = m.backtrace(pid);
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    int i = 0;
    String lastStack = null;
    String stopped = null;
    for (Frame f : frames) {
      if (f.function().equals(Frame.STOPPED)) {
        stopped = f.note();
        text.add("Backtrace stopped: " + f.note() + " (the stack or a task pointer is corrupt)");
        continue;
      }
      if (f.function().startsWith("---")) {
        text.add("    --- <" + (f.stackName().isEmpty() ? f.stack() : f.stackName())
            + ": pt_regs> --- " + f.note());
        continue;
      }
      boolean first = lastStack == null;
      if ((first && !f.stack().equals("task") && !f.stack().equals("user"))
          || (!first && !lastStack.equals(f.stack()) && !f.stack().equals("user"))) {
        text.add("    --- <" + (f.stackName().isEmpty() ? stackName(f.stack()) : f.stackName())
            + "> ---");
      }
      lastStack = f.stack();
      String off = f.offset() == 0 ? "" : "+0x" + Long.toHexString(f.offset());
      text.add(String.format("#%-2d " + m.hexFormat() + " in %s%s  [%s]%s", i++, f.address(), f.function(), off,
          f.stack(), f.note().isEmpty() ? "" : "  (" + f.note() + ")"));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("function", f.function());
      o.put("address", hex(f.address()));
      o.put("stack", f.stack());
      if (!f.stackName().isEmpty()) {
        o.put("stack_name", f.stackName());
      }
      json.add(o);
    }
    long task = pid == null ? m.current() : m.findTaskByVpid(pid);
    Result r;
    try {
      int tpid = m.kernel().pid(task);
      text.add(0, "Backtrace of pid " + tpid + " (" + m.kernel().comm(task) + ")");
      r = Result.of(cmd, text).with("pid", tpid);
    } catch (kstack.mem.MemoryFault f) {
      text.add(0, String.format("Backtrace of the current task of cpu %d: its task_struct pointer "
          + m.hexFormat() + " is unreadable (overwritten?)", m.selectedCpu(), task));
      r = Result.of(cmd, text);
    }
    r = r.with("frames", json);
    return stopped == null ? r : r.with("stopped", stopped);
  }

  /**
   * bt -v, as crash has it: every task's end-of-stack magic (task_stack_end_corrupted) and how much
   * of each stack was ever used (CONFIG_DEBUG_STACK_USAGE's stack_not_used).
   */
  private Result checkStacks(String cmd) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    int bad = 0;
    List<TaskInfo> tasks = new ArrayList<>();
    String broken = m.psUntilCorrupt(tasks);
    for (TaskInfo t : tasks) {
      long stack = t.stack();
      if (stack == 0) {
        continue;
      }
      var k = m.kernel();
      if (m.profile().has(kstack.profile.Feature.TASK_UNION)) {
        bad += checkTaskUnion(k, t, text, json);
        continue;
      }
      long end = k.endOfStack(t.task());
      long magic = k.readPtr(end);
      // 2.6.11 has no magic: its stack runs straight into thread_info, which is the whole check
      boolean hasMagic = k.hasStackEndMagic();
      boolean set = k.stackEndMagicSet(t.task()); // init_task's, before start_kernel sets it
      boolean ok = !hasMagic || !set || magic == kstack.kernel.Kernel.STACK_END_MAGIC;
      long magicWord = hasMagic ? k.t.word : 0;
      long unused = k.stackNotUsed(t.task());
      // 2.6: thread_info sits below the stack's last usable word; an overflow reaches it first
      boolean tiAtBase = m.profile().has(kstack.profile.Feature.THREAD_INFO_AT_BASE);
      long tiTask = tiAtBase ? k.tiRead(t.task(), "task") : t.task();
      boolean tiOk = tiTask == t.task();
      String line = String.format("PID %d (%s): %s%s; %d bytes never used (high-water mark %d of %d)",
          t.pid(), t.comm(), !hasMagic ? (tiOk ? "thread_info at the stack base intact (no "
              + "STACK_END_MAGIC in this generation)" : "possible stack overflow")
              : !set ? (k.initSetsStackEndMagic() ? "STACK_END_MAGIC not set yet "
              + "(set_task_stack_end_magic(&init_task) has not run)" : "no STACK_END_MAGIC: "
              + "this generation writes it only at fork (dup_task_struct), never for init_task")
              : ok ? "STACK_END_MAGIC intact" : String.format(
              "possible stack overflow: STACK_END_MAGIC overwritten (0x%x)", magic),
          tiOk ? "" : String.format("; thread_info overwritten: thread_info->task = 0x%x, not the "
              + "task 0x%x", tiTask, t.task()), unused,
          stack + k.threadSize - end - magicWord - unused, stack + k.threadSize - end - magicWord);
      text.add(line);
      if (!ok || !tiOk) {
        bad++;
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pid", t.pid());
      if (hasMagic) {
        o.put("magic_ok", ok);
        if (!set) {
          o.put("magic_set", false);
        }
      }
      if (tiAtBase) {
        o.put("thread_info_ok", tiOk);
      }
      o.put("unused", unused);
      json.add(o);
    }
    if (broken != null) {
      text.add(broken + "; the tasks after it are not checked.");
    }
    text.add(bad == 0 ? "No stack overflow found." : bad + " stack(s) overflowed.");
    Result r = Result.of(cmd, text).with("stacks", json);
    return broken == null ? r : r.with("task_list_corrupt", broken);
  }

  /**
   * bt -v on 2.4: no magic word separates the stack from the task_struct below it, so the check is
   * the task_struct's own consistency (Kernel.taskUnionDamage). Returns 1 if it is damaged.
   */
  private static int checkTaskUnion(kstack.kernel.Kernel k, TaskInfo t, List<String> text,
      List<Object> json) {
    List<String> damage = k.taskUnionDamage(t.task());
    long unused = k.stackNotUsed(t.task());
    long usable = t.stack() + k.threadSize - k.endOfStack(t.task());
    text.add(String.format("PID %d (%s): %s; %d bytes never used (high-water mark %d of %d above "
            + "the %d-byte task_struct)", t.pid(), t.comm(), damage.isEmpty()
            ? "task_struct at the stack base intact"
            : "possible stack overflow: the task_struct at the stack base is overwritten: "
                + String.join("; ", damage), unused, usable - unused, usable,
        k.struct("task_struct").size()));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("pid", t.pid());
    o.put("task_struct_ok", damage.isEmpty());
    o.put("unused", unused);
    json.add(o);
    return damage.isEmpty() ? 0 : 1;
  }

  private Result ps(String cmd) {
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    String col = "%-" + String.format(m.hexFormat(), 0L).length() + "s";
    text.add(String.format("%5s %5s %3s %2s  " + col + "  " + col + "  %s", "PID", "PPID", "CPU",
        "ST", "TASK", "STACK", "COMM"));
    List<TaskInfo> tasks = new ArrayList<>();
    String broken = m.psUntilCorrupt(tasks);
    for (TaskInfo t : tasks) {
      boolean running = m.cpuRunning(t.task()) >= 0;
      text.add(String.format("%s%4d %5d %3d %2s  " + m.hexFormat() + "  " + m.hexFormat() + "  %s", running ? ">" : " ", t.pid(),
          t.ppid(), t.cpu(), t.state(), t.task(), t.stack(), t.comm()));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pid", t.pid());
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
    List<StackWord> words = m.stack(pid);
    List<String> text = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    long base = m.kernel().stack(task);
    text.add(String.format("Kernel stack of pid %d (%s): 0x%x..0x%x (THREAD_SIZE %d), "
        + "pt_regs at 0x%x", m.kernel().pid(task), m.kernel().comm(task), base,
        base + m.kernel().threadSize, m.kernel().threadSize, m.taskPtRegs(task)));
    for (StackWord w : words) {
      text.add(String.format(m.hexFormat() + ": " + m.hexFormat() + "  %-7s %s", w.address(), w.value(), w.kind(),
          w.label()));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("address", hex(w.address()));
      o.put("value", hex(w.value()));
      o.put("kind", w.kind());
      o.put("label", w.label());
      json.add(o);
    }
    return Result.of(cmd, text).with("pid", m.kernel().pid(task)).with("words", json);
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
    Result r = s.outcome(cmd, m.call(call.name(), args));
    var regs = m.arch().registers();
    return r.with(regs.name(regs.ret), hex(m.cpu(m.selectedCpu()).get(regs.ret)));
  }

  static String stackName(String kind) {
    return switch (kind) {
      case "irq" -> "IRQ stack";
      case "task" -> "task stack";
      case "entry" -> "entry stack";
      case "exception" -> "exception stack";
      default -> kind + " stack";
    };
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
