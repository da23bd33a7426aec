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
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.profile.Profiles;
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
@Command(name = "kstack", mixinStandardHelpOptions = true, version = "kstack 0.1.0",
    description = "A simulated machine that holds the real bytes of Linux kernel stacks.",
    subcommands = {Main.Run.class, Main.ListScenarios.class, Bench.class, Diff.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the CLI with the given streams; returns the exit code (used by tests). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, System.in, out, err);
  }

  /** The same with the standard input that {@code run -i} reads. */
  public static int execute(String[] args, java.io.InputStream in, PrintStream out,
      PrintStream err) {
    Main main = new Main();
    main.stdin = in;
    CommandLine cl = new CommandLine(main);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionStrategy(new CommandLine.RunLast());
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("kstack: " + ex.getMessage());
      err.println("Try 'kstack --help' or 'kstack run --help'.");
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, c, p) -> {
      err.println("kstack: internal error: " + ex);
      return 1;
    });
    return cl.execute(args);
  }

  @Spec
  CommandSpec spec;

  private java.io.InputStream stdin = System.in;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
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

    @Option(names = "--arch", defaultValue = "x86_64",
        description = "architecture: x86_64, i386 or arm64 (default: x86_64)")
    String arch;

    @Option(names = "--kernel", description = "kernel generation: 2.4, 2.6.11, 2.6, 4.16 or 6.x (default: newest)")
    String kernel;

    @Option(names = "--config", description = "NAME=y|n, e.g. KASAN=y (see 'info config')")
    List<String> config = new ArrayList<>();

    @Option(names = "--cpus", defaultValue = "1", description = "number of CPUs (1 to the profile's NR_CPUS: 8 on i386, 64 elsewhere)")
    int cpus;

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
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Profile p;
      try {
        p = profile();
      } catch (IllegalArgumentException e) {
        err.println("kstack: " + e.getMessage());
        return 2;
      }
      try {
        Machine.checkCpus(p, cpus);
      } catch (IllegalArgumentException e) {
        err.println("kstack: " + e.getMessage());
        return 2;
      }
      Output o = new Output(out, json);
      List<Source.Line> lines = new ArrayList<>();
      try {
        String sc = scenario != null ? scenario
            : commands.isEmpty() && !interactive ? "boot" : null;
        if (sc != null) {
          lines.addAll(Scenarios.load(sc, p).lines());
        }
      } catch (ScriptError e) {
        o.failure(null, e.located());
        err.println(e.located());
        return 1;
      }
      for (int i = 0; i < commands.size(); i++) {
        lines.add(Source.commandLine(i + 1, commands.get(i)));
      }
      Machine m = Machine.create(p, cpus);
      o.header("kstack: " + p.label() + ", " + cpus + " CPU" + (cpus > 1 ? "s" : ""));
      Session session = new Session(m);
      for (Source.Line line : lines) {
        Result r;
        try {
          r = session.execute(line);
        } catch (ScriptError e) {
          o.failure(line.text(), e.located());
          err.println(e.located());
          return 1;
        }
        o.result(r);
      }
      return interactive ? interact(session, o, out, err) : 0;
    }

    /** The interactive loop: one command per line from standard input, as in a script. */
    private int interact(Session session, Output o, PrintWriter out, PrintWriter err) {
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(parent.stdin, java.nio.charset.StandardCharsets.UTF_8));
      int number = 0;
      boolean terminal = parent.stdin == System.in && System.console() != null;
      while (true) {
        if (terminal) {
          o.prompt();
        }
        String text;
        try {
          text = in.readLine();
        } catch (java.io.IOException e) {
          err.println("kstack: reading standard input: " + e.getMessage());
          return 1;
        }
        if (text == null) {
          if (terminal) {
            out.println();
          }
          return 0;
        }
        Source.Line line = Source.stdinLine(++number, text);
        if (line.text().isEmpty()) {
          continue;
        }
        if (line.text().equals("quit") || line.text().equals("q") || line.text().equals("exit")) {
          return 0;
        }
        try {
          o.answer(session.execute(line));
        } catch (ScriptError e) {
          if (json) {
            o.failure(line.text(), e.located());
          }
          err.println(e.located());
          err.flush();
        }
      }
    }

    private Profile profile() {
      Profile p = kernel == null ? Profiles.newest(arch).orElseThrow(
          () -> new IllegalArgumentException("unknown --arch " + arch + " (known: "
              + String.join(", ", Profiles.all().stream().map(Profile::arch).distinct().toList())
              + ")"))
          : Profiles.find(arch, kernel).orElseThrow(() -> new IllegalArgumentException(
              "no profile for --arch " + arch + " --kernel " + kernel + " (known: "
                  + Profiles.names() + ")"));
      for (String c : config) {
        int eq = c.indexOf('=');
        String name = eq < 0 ? c : c.substring(0, eq);
        String v = eq < 0 ? "" : c.substring(eq + 1);
        if (name.startsWith("CONFIG_")) {
          name = name.substring(7);
        }
        if (!v.equals("y") && !v.equals("n")) {
          throw new IllegalArgumentException("--config takes NAME=y or NAME=n, not '" + c + "'");
        }
        p = p.withConfig(name, v.equals("y"));
      }
      return p;
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
          spec.commandLine().getErr().println("kstack: no built-in scenario " + show);
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
