package kstack.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.CpuLimits;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The kstack command line. Exit codes (the contract): 0 every command ran, 1 a command or scenario
 * failed (execution stops at the first failure), 2 usage error.
 */
@Command(name = "kstack", mixinStandardHelpOptions = true, version = QuickAnswers.VERSION,
    description = "A simulated machine that holds the real bytes of Linux kernel stacks.",
    subcommands = {Main.Run.class, Main.ListScenarios.class, Bench.class, Diff.class,
        BtfCommand.class, Check.class, GdbServerCommand.class, SymbolsCommand.class, Web.class,
        TourCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(execute(args, Interactive.stdinClosed() ? null : System.in, System.out, System.err));
  }

  /** Runs the CLI with the given streams; returns the exit code (used by tests). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, System.in, out, err);
  }

  /**
   * The same with the standard input that {@code run -i} reads (null: it is closed). Nothing a
   * command does reaches the user as a Java trace: an exception is one "internal error" line, and
   * running out of heap or Java stack says which and what to do, with exit code 1.
   */
  public static int execute(String[] args, java.io.InputStream in, PrintStream out,
      PrintStream err) {
    if (QuickAnswers.answer(args, out)) {
      return 0;
    }
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    try {
      // kstack run with plain options is parsed without picocli (LeanRun: a fast start)
      Run lean = LeanRun.parse(args);
      return lean != null ? LeanRun.execute(lean, in, o, e) : picocli(args, in, o, e);
    } catch (VirtualMachineError | LinkageError | AssertionError ex) {
      e.println("kstack: " + Session.exhausted(ex));
      return 1;
    } finally {
      // A PrintWriter flushes by itself only on println/printf; whatever a subcommand wrote with
      // print (scenarios --show, bench's memory lines) must reach the stream before exit.
      o.flush();
      e.flush();
    }
  }

  /** The command line parsed and run by picocli. */
  private static int picocli(String[] args, java.io.InputStream in, PrintWriter o, PrintWriter e) {
    Main main = new Main();
    main.stdin = in;
    CommandLine cl = LeanCommandLine.of(main, args);
    cl.setOut(o);
    cl.setErr(e);
    cl.setExecutionStrategy(new CommandLine.RunLast());
    cl.setParameterExceptionHandler((ex, a) -> {
      e.println("kstack: " + ScriptError.oneLine(ex.getMessage()));
      e.println("Try 'kstack " + (ex.getCommandLine() == cl ? ""
          : ex.getCommandLine().getCommandName() + " ") + "--help'.");
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, c, p) -> internalError(e, ex));
    return cl.execute(args);
  }

  /** An exception a command let through: one line, exit code 1. */
  static int internalError(PrintWriter e, Exception ex) {
    e.println("kstack: internal error: " + ScriptError.oneLine(String.valueOf(ex)));
    return 1;
  }

  @Spec
  CommandSpec spec;

  private java.io.InputStream stdin = System.in;

  /**
   * kstack without a subcommand, at a terminal: the prompt on the default profile (as
   * {@code run -i}). Otherwise (input or output redirected) it is a usage error: the usage goes to
   * stderr (--help: stdout, 0), since a script is meant for {@code run FILE} or {@code run -i}.
   */
  @Override
  public Integer call() {
    if (stdin == System.in && Terminals.interactive()) {
      Profile p = Profiles.newest("x86_64").orElseThrow();
      PrintWriter out = spec.commandLine().getOut();
      out.println("kstack: " + p.label() + ", 1 CPU; 'help' lists the commands, 'boot' boots");
      return Terminals.repl(new Session(Machine.create(p, 1)), false, spec.commandLine().getErr());
    }
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** kstack run: a scenario, then each -e. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a scenario (a built-in name or a file), then each -e command.")
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main parent;

    @picocli.CommandLine.Mixin
    ProfileOptions machine;

    @Option(names = "--btf", paramLabel = "FILE", description = "run with the layouts of the "
        + "kernel whose BTF this is ('host': " + BtfFile.HOST + "; --arch defaults to its)")
    String btf;

    @Option(names = "--json", description = "one JSON object per executed command")
    boolean json;

    @Option(names = "-e", description = "a command to run after the scenario (repeatable)")
    List<String> commands = new ArrayList<>();

    @Option(names = {"-i", "--interactive"},
        description = "after the scenario and -e commands, read commands from standard input "
            + "(a prompt; errors are reported and the session goes on; quit or end of input ends it)")
    boolean interactive;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO",
        description = "built-in scenario name or a file (default: boot when no -e is given)")
    String scenario;

    @Override
    public Integer call() {
      return call(spec.commandLine().getOut(), spec.commandLine().getErr(), parent.stdin);
    }

    /** The run, writing to out and err, reading -i's commands from stdin (null: closed). */
    Integer call(PrintWriter out, PrintWriter err, java.io.InputStream stdin) {
      Profile p;
      BtfRun.Picked picked = null;
      try {
        if (btf != null) {
          picked = BtfRun.build(btf, machine.arch, machine.kernel, machine.cpus,
              machine::configured);
          p = picked.profile();
        } else {
          p = machine.profile();
        }
      } catch (IllegalArgumentException e) {
        err.println("kstack: " + ScriptError.oneLine(e.getMessage()));
        return 2;
      } catch (BtfRun.Refusal e) {
        err.println("kstack: run: " + ScriptError.oneLine(e.getMessage()));
        return 2;
      }
      try {
        CpuLimits.check(p, machine.cpus);
      } catch (IllegalArgumentException e) {
        err.println("kstack: " + ScriptError.oneLine(e.getMessage()));
        return 2;
      }
      if (interactive && stdin == null) {
        err.println("kstack: run -i: standard input is closed, so there are no commands to read"
            + " (give it a terminal, a file or a pipe)");
        return 2;
      }
      Output o = new Output(out, json);
      boolean person = stdin == System.in && Terminals.interactive(); // colour, progress
      Colour colour = Colour.forOutput(person, json, System.getenv());
      o.paint(colour);
      List<Source.Line> lines = new ArrayList<>();
      try {
        String sc = scenario != null ? scenario
            : commands.isEmpty() && !interactive ? "boot" : null;
        if (sc != null) {
          lines.addAll(Scenarios.load(sc, p).lines());
        }
        for (int i = 0; i < commands.size(); i++) {
          Source.Line line = Source.commandLine(i + 1, commands.get(i));
          // A -e that is blank or only a comment is skipped, as such a line in a file is.
          if (!line.text().isEmpty()) {
            lines.add(line);
          }
        }
      } catch (IllegalArgumentException e) {
        err.println("kstack: run: " + ScriptError.oneLine(e.getMessage()));
        return 2;
      } catch (ScriptError e) {
        o.failure(null, e.located());
        err.println(e.located());
        return 1;
      }
      Machine m = picked != null ? picked.machine() : Machine.create(p, machine.cpus);
      if (picked != null) {
        o.btf(picked.header(), picked.json());
      }
      o.header("kstack: " + p.label() + ", " + machine.cpus + " CPU" + (machine.cpus > 1 ? "s" : ""));
      Session session = new Session(m);
      for (Source.Line line : lines) {
        Result r;
        try (Progress bar = Progress.start(person, err, line.text(), m.timeline()::steps)) {
          r = session.execute(line);
        } catch (ScriptError e) {
          o.failure(line.text(), e.located());
          err.println(colour.error(e.located()));
          return 1;
        }
        o.result(r);
      }
      if (!interactive) {
        return 0;
      }
      if (stdin == System.in && Terminals.interactive()) {
        return Terminals.repl(session, json, err);
      }
      return new Interactive(session, o, err, json).run(stdin);
    }
  }

  /** kstack scenarios: the built-in scenarios. */
  @Command(name = "scenarios", mixinStandardHelpOptions = true,
      description = "List the built-in scenarios, or print one with --show NAME.")
  static final class ListScenarios implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--show", description = "print the scenario's text")
    String show;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (show != null) {
        if (!Scenarios.BUILTIN.containsKey(show)) {
          spec.commandLine().getErr().println("kstack: no built-in scenario "
              + ScriptError.oneLine(show));
          return 2;
        }
        out.print(Scenarios.builtinText(show));
        return 0;
      }
      for (var e : Scenarios.BUILTIN.entrySet()) {
        out.printf("%-10s %s%n", e.getKey(), e.getValue());
      }
      return 0;
    }
  }
}
