package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.expr.ExprError;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.lang.expr.Variables;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.mem.MemoryFault;
import kstack.trace.Event;

/**
 * The command language: one interpreter for scenario files, {@code -e} arguments, and later the
 * REPL and web UI. Each command runs against one machine and yields a {@link Result}; a failure is a
 * {@link ScriptError} that names the file, line and column. Command names keep gdb's meaning.
 */
public final class Session {
  private final Machine m;
  private final Commands commands;
  private final Variables variables = new Variables();
  private final Displays displays = new Displays();
  private final TemporaryBreaks temporary = new TemporaryBreaks();
  private final Examine.Defaults examine = new Examine.Defaults();
  private final FrameCmds.Selection frames = new FrameCmds.Selection();

  public Session(Machine m) {
    this.m = m;
    this.commands = new Commands(this);
    variables.frameSlots(name -> FrameCmds.slot(this, name));
  }

  public Machine machine() {
    return m;
  }

  /** Executes one command line. */
  public Result execute(Source.Line line) {
    String text = line.text();
    int wordEnd = 0;
    while (wordEnd < text.length() && !Character.isWhitespace(text.charAt(wordEnd))
        && text.charAt(wordEnd) != '/' && text.charAt(wordEnd) != '(') {
      wordEnd++;
    }
    String word = text.substring(0, wordEnd);
    String rest = text.substring(wordEnd);
    int restCol = line.column() + wordEnd;
    Call call = new Call(line, word, rest, restCol);
    try {
      return commands.run(call);
    } catch (ScriptError e) {
      throw e;
    } catch (ExprError e) {
      throw call.error(e.column(), e.getMessage());
    } catch (MemoryFault e) {
      String why = m.kernel().panicked() == null ? ""
          : " (after the panic, '" + m.kernel().panicked() + "': what it overwrote may be unreadable)";
      throw call.errorAtArgs("cannot access memory: " + e.getMessage() + why);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw call.errorAtWord(e.getMessage());
    } catch (RuntimeException e) {
      throw call.errorAtWord("internal error: " + e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      throw call.errorAtWord(exhausted(e));
    }
  }

  /** What ran out (or broke) inside the JVM, and what to do about it; one line. */
  public static String exhausted(Throwable ex) {
    if (ex instanceof OutOfMemoryError) {
      return "out of memory (the Java heap, at most " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MiB): run fewer or smaller commands, or give Java more heap "
          + "(JAVA_TOOL_OPTIONS=-Xmx4g)";
    }
    if (ex instanceof StackOverflowError) {
      return "out of Java stack (the simulator's own, not the simulated kernel's): the command"
          + " nests too deeply; give Java a larger thread stack (JAVA_TOOL_OPTIONS=-Xss64m)";
    }
    return "internal error: " + ScriptError.oneLine(String.valueOf(ex));
  }

  /** A command being executed: its word, argument text and where that text starts. */
  final class Call {
    final Source.Line line;
    final String word;
    final String rest;
    final int restCol;
    /** Column of the expression being evaluated, for locating its errors. */
    int exprCol;

    Call(Source.Line line, String word, String rest, int restCol) {
      this.line = line;
      this.word = word;
      this.rest = rest;
      this.restCol = restCol;
      this.exprCol = restCol;
    }

    String args() {
      return rest.strip();
    }

    /** Column of the first non-blank character of the arguments. */
    int argsCol() {
      int i = 0;
      while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      return restCol + i;
    }

    /** One blank-separated word of the arguments and the column where it starts. */
    record Word(String text, int column) {}

    /** The arguments split at blanks, each with its column (for commands whose words are options). */
    List<Word> words() {
      List<Word> out = new ArrayList<>();
      int i = 0;
      while (i < rest.length()) {
        int start = i;
        while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
          i++;
        }
        if (i > start) {
          out.add(new Word(rest.substring(start, i), restCol + start));
        }
        i = Math.max(i, start + 1);
      }
      return out;
    }

    ScriptError error(int exprColumn, String message) {
      return new ScriptError(line.file(), line.number(), exprCol + exprColumn - 1, message);
    }

    ScriptError errorAtWord(String message) {
      return new ScriptError(line.file(), line.number(), line.column(), message);
    }

    ScriptError errorAtArgs(String message) {
      return new ScriptError(line.file(), line.number(), argsCol(), message);
    }

    /** Evaluates an expression that starts at column col of the line. */
    Value eval(String expr, int col) {
      exprCol = col;
      return Expressions.eval(expr, m, variables);
    }
  }

  /** The format and size the last {@code x} used (gdb remembers them for the next x). */
  Examine.Defaults examineDefaults() {
    return examine;
  }

  /** The selected frame ({@code frame}, {@code up}, {@code down}). */
  FrameCmds.Selection frames() {
    return frames;
  }

  /** Which breakpoints are tbreak's, deleted once hit. */
  TemporaryBreaks temporaryBreaks() {
    return temporary;
  }

  /** The auto-display expressions ({@code display EXPR}), shown after each execution command. */
  Displays displays() {
    return displays;
  }

  /** Evaluates an expression with this session's history and variables (a display's). */
  Value eval(String expr) {
    return Expressions.eval(expr, m, variables);
  }

  /** The value history ($1, $, $$N) and the convenience variables of this session. */
  Variables variables() {
    return variables;
  }

  /** The story lines of an execution command, plus its JSON fields. */
  Result outcome(String command, Outcome o) {
    frames.reset(); // the machine ran: gdb selects the innermost frame at every stop
    List<String> text = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (Event e : o.events()) {
      text.add(e.describe());
      events.add(e.describe());
    }
    text.add(o.message());
    text.addAll(temporary.afterStop(m, o));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stop", o.stop().name().toLowerCase());
    json.put("message", o.message());
    json.put("events", events);
    if (!displays.isEmpty()) {
      text.addAll(displays.shown(this));
      json.put("displays", displays.json(this));
    }
    return new Result(command, text, json);
  }
}
