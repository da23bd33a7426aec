package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code help} and {@code help COMMAND} print, and the command names the REPL completes and
 * "did you mean" suggests: one entry per command, each with an example that runs on the default
 * profile after {@code boot}.
 */
public final class Help {
  private Help() {}

  /** One command: its names (the first is the one shown), usage, what it does, an example. */
  public record Entry(List<String> names, String usage, String what, String example) {
    public String name() {
      return names.get(0);
    }
  }

  private static Entry e(String names, String usage, String what, String example) {
    return new Entry(List.of(names.split(" ")), usage, what, example);
  }

  /** Every command, in the order of the summary page. */
  public static final List<Entry> COMMANDS = List.of(
      e("boot", "boot", "run until pid 1 and pid 2 exist and CPU 0 is in its idle loop", "boot"),
      e("spawn", "spawn NAME", "init forks and execs NAME; runs until it is in user mode",
          "spawn sh"),
      e("syscall", "syscall NAME(ARGS)", "the current user task makes a system call (getpid, read,"
          + " write, pipe, pipe2, nanosleep, clone, fork, execve, exit, wait4, sched_yield)",
          "syscall write(1, \"hi\")"),
      e("sysenter", "sysenter NAME(ARGS)",
          "i386: a system call through the vDSO's __kernel_vsyscall and SYSENTER",
          "sysenter getpid()"),
      e("call", "call FUNC(ARGS)",
          "the current user task calls inner, middle, outer, sum8 or call8", "call sum8(1,2,3,4,5,6,7,8)"),
      e("kthread", "kthread NAME",
          "kernel code creates a kthread through kthreadd and wakes it", "kthread worker"),
      e("break b", "break SYMBOL", "stop before the first step of SYMBOL", "break do_syscall_64"),
      e("tbreak", "tbreak SYMBOL", "a breakpoint deleted the first time it stops the machine",
          "tbreak do_syscall_64"),
      e("advance", "advance LOCATION", "run until the selected CPU reaches the first step of"
          + " LOCATION (a function or label)", "advance schedule"),
      e("delete", "delete [N]", "remove all breakpoints and watchpoints, or watchpoint N",
          "delete"),
      e("watch", "watch EXPR", "stop after any step that changes the object EXPR names (a"
          + " variable, a member, per_cpu(VAR, CPU), *(TYPE *)ADDR), with its old and new value and"
          + " the step, CPU and task that wrote it; reverse-continue stops at the previous change",
          "watch init_task.thread.sp"),
      e("continue c", "continue", "resume the interrupted command", "continue"),
      e("run", "run", "run until every CPU is idle", "run"),
      e("stepi si", "stepi [N]", "N steps on the selected CPU (Enter repeats it)", "stepi 5"),
      e("reverse-stepi rsi", "reverse-stepi [N]",
          "take the machine's last N steps back (every byte and register)", "reverse-stepi 3"),
      e("reverse-continue rc", "reverse-continue", "take steps back until a breakpoint's"
          + " address is reached again or a watched value changes (or the history ends)",
          "reverse-continue"),
      e("record", HistoryCmds.GOTO_USAGE, "gdb's: the machine as it was when recorded step STEP"
          + " ended, back or forward, without executing (a command run from there discards the"
          + " later steps)", "record goto 100"),
      e("finish", "finish", "run until the current function returns", "finish"),
      e("step s", "step [N]", "run to the next C statement, into a called function (assembly:"
          + " the next instruction); Enter repeats it", "step"),
      e("next n", "next [N]", "run to the next C statement of this function, over calls (and"
          + " over a system call or exception from user mode); Enter repeats it", "next"),
      e("until u", "until [LOCATION]", "as next, but a jump back to an earlier statement runs on;"
          + " with LOCATION: until it is reached or this function returns", "until"),
      e("reverse-step rs", "reverse-step [N]", "take steps back to the previous C statement,"
          + " into a function whose return is taken back", "reverse-step"),
      e("reverse-next rn", "reverse-next [N]", "take steps back to the previous C statement of"
          + " this function, over calls", "reverse-next"),
      e("reverse-finish", "reverse-finish", "take steps back to where the current function was"
          + " called", "reverse-finish"),
      e("cpu", "cpu [N]", "show or select the CPU that stepi, p and x use", "cpu 0"),
      e("irq", "irq N", "device line N (0-15) interrupts the selected CPU where it is; runs until"
          + " the interrupted code resumes", "irq 1"),
      e("tick", "tick", "the scheduler tick interrupts the selected CPU", "tick"),
      e("nmi", "nmi", "a non-maskable interrupt on the selected CPU", "nmi"),
      e("exception", "exception db|mc", "a debug exception (#DB) or machine check (#MC) on the"
          + " selected CPU (x86_64: IST stack from kernel mode, task stack from user mode; 2.6:"
          + " always the IST stack; i386: the interrupted stack)", "exception db"),
      e("recurse", "recurse N",
          "the current task recurses N frames of 256 bytes in the kernel", "recurse 4"),
      e("print p", "p[/FMT] EXPR", "evaluate a C expression (FMT: x d u o t c a s) and record it"
          + " in the value history: $N, $ (the last), $$ (the one before), $$N (N back); EXPR@N is"
          + " N objects from EXPR's address; list_for_each_entry(HEAD, struct X, MEMBER) is a list's"
          + " entries ([i] one, ->m that member of each)", "p/x current->pid"),
      e("ptype", "ptype EXPR|TYPE", "the type of an expression or a type name, with a struct's"
          + " members", "ptype current"),
      e("display", "display[/FMT] [EXPR]", "show EXPR now and after every command that runs the"
          + " machine (no EXPR: show them all now)", "display/x $sp"),
      e("undisplay", "undisplay [N]", "stop showing display N (or all); 'info display' lists"
          + " them", "undisplay"),
      e("whatis", "whatis EXPR|TYPE", "the type of an expression, as gdb names it",
          "whatis init_task.comm"),
      e("backtrace bt", "bt [-f|-F|-r] [-n [-]N] [PID] | bt -v | bt -a", "backtrace of the"
          + " current task or PID; -f: each frame's arguments and words, -F: the same with"
          + " symbols, -r: the raw stack; -n N: the innermost N frames, -n -N: the outermost N"
          + " (gdb's bt N: here a bare number is crash's PID); -v: every task's STACK_END_MAGIC"
          + " and stack high-water mark; -a: the current task of every CPU", "bt -f -n 2"),
      e("frame f", "frame [N]", "select frame N of the backtrace (what info frame, info args"
          + " and info locals show) and print it with its arguments", "frame 1"),
      e("up", "up [N]", "select the frame N (default 1) toward the callers", "up"),
      e("down", "down [N]", "select the frame N (default 1) toward the innermost", "down"),
      e("stack", "stack [PID] | stack --draw [PID]", "every word of the kernel stack, labelled;"
          + " --draw: the task's stack and the others it touches as a boxed diagram, to scale in"
          + " lines", "stack 1"),
      e("ps", "ps", "the tasks", "ps"),
      e("console", "console", "what was written to /dev/console", "console"),
      e("x", "x/FMT ADDR", "examine memory (gdb formats: x/8gx $rsp, x/4i $rip, x/s ADDR; x/a reads"
          + " pointer-sized units, x/c bytes)", "x/4gx $sp"),
      e("struct", "struct NAME [ADDR] | struct -o NAME", "layout of a struct as pahole shows it"
          + " (holes, padding, cacheline boundaries; with values at ADDR); -o: crash's member"
          + " offsets", "struct -o pt_regs"),
      e("task", "task [PID]", "crash's task: the task_struct of PID (or current) with every"
          + " modelled member's value", "task 1"),
      e("list", ListCmd.USAGE, "crash's list: walk a struct list_head list from HEAD, each"
          + " entry's address (node - OFFSET) and with -s one member", "list -H init_task.tasks -s"
          + " task_struct.comm"),
      e("rd", "rd ADDR [COUNT]", "crash's rd: COUNT words from ADDR with the symbols they point"
          + " to", "rd $sp 8"),
      e("info", "info registers [NAME]... | info config | info breakpoints | info symbol ADDR"
          + " | info history | info display | info watchpoints | info frame | info args"
          + " | info locals", "registers, the profile's configuration, breakpoints, the symbol at"
          + " an address, what the timeline keeps (steps that can be taken back, bytes a step),"
          + " the auto-display expressions, the watchpoints; the selected frame: where its frame"
          + " record, return address and caller lie, its arguments, its locals",
          "info registers pc sp"),
      e("blame", "blame ADDR", "the step that last wrote the word at ADDR: its number and text,"
          + " CPU, task, the value before and after", "blame $sp"),
      e("export", Export.USAGE, "draw the stacks (one task's and those it touches, or all) to"
          + " scale as SVG; write the run's events (as data, or as a Perfetto / chrome://tracing"
          + " trace) or the machine's state (tasks, stacks, registers, per-CPU data) as JSON"
          + " (docs/formats.md)", "export trace --format perfetto /tmp/kstack-trace.json"),
      e("help", "help [COMMAND]", "this summary, or one command with an example", "help bt"),
      e("set", "set [var] $NAME = EXPR | set max-steps N | set history-budget SIZE", "a"
          + " convenience variable, usable as $NAME in any expression; or stop a command as a"
          + " runaway after N steps (default 5000000); or keep the recorded history within SIZE"
          + " bytes (K, M, G; default 512M), older steps thinned to checkpoints", "set $t = current"),
      e("quit q exit", "quit", "end the session (also the end of input)", "quit"));

  /** The entry a command name or alias names. */
  public static Optional<Entry> find(String name) {
    return COMMANDS.stream().filter(c -> c.names().contains(name)).findFirst();
  }

  /**
   * The name a typed word stands for: itself when it is a name or alias, else the one command
   * it is an unambiguous prefix of (gdb's rule: {@code br} is {@code break}, {@code cons} is
   * {@code console}); an ambiguous or unknown word stays as typed.
   */
  public static String resolve(String word) {
    if (word.isEmpty() || find(word).isPresent()) {
      return word;
    }
    List<String> hits = startingWith(word);
    return hits.size() == 1 ? hits.get(0) : word;
  }

  /** The commands (by their shown name) that a name or alias of starts with {@code word}. */
  public static List<String> startingWith(String word) {
    return COMMANDS.stream().filter(c -> c.names().stream().anyMatch(n -> n.startsWith(word)))
        .map(Entry::name).toList();
  }

  /** Every command name and alias (what the REPL completes and "did you mean" picks from). */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    COMMANDS.forEach(c -> out.addAll(c.names()));
    return out;
  }

  /** The summary page: one or more lines per command, grouped. */
  static List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add("Execution:");
    for (Entry c : COMMANDS) {
      if (c.name().equals("print")) {
        out.add("Inspection:");
      }
      if (c.name().equals("help")) {
        out.add("Session:");
      }
      if (c.usage().length() > 23) {
        out.add("  " + c.usage());
        out.addAll(Wrap.hanging(" ".repeat(26), c.what(), 100));
      } else {
        out.addAll(Wrap.hanging(String.format("  %-23s ", c.usage()), c.what(), 100));
      }
    }
    out.add("'help COMMAND' shows one command with an example. Comments start with #."
        + " One command per line.");
    return out;
  }

  /** help COMMAND: usage, what it does, aliases and the example. */
  static List<String> command(Entry c) {
    List<String> out = new ArrayList<>();
    out.add("usage: " + c.usage());
    out.addAll(Wrap.hanging("  ", c.what(), 100));
    if (c.names().size() > 1) {
      out.add("  also: " + String.join(", ", c.names().subList(1, c.names().size())));
    }
    out.add("example: " + c.example());
    return out;
  }
}
