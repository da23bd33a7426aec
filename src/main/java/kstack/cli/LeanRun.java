package kstack.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code kstack run} with plain options, parsed without picocli. picocli's start-up (some 170 of
 * its classes, compiled for Java 5 and so never in the class-data archive, verified on every run,
 * and its model built by reflection on the annotations) was about a third of a cold
 * {@code run -e boot}. Only the forms whose meaning is plain are taken here: {@code run} followed
 * by {@code -e CMD}, {@code --arch A}, {@code --kernel K}, {@code --config NAME=V}, {@code --cpus N},
 * {@code --btf FILE} (each option and its value as two arguments), {@code --json}, {@code -i} or
 * {@code --interactive}, and at most one scenario. Anything else (help, {@code --opt=value},
 * clustered or unknown options, a value that starts with '-' or '@', an option given twice that
 * takes one value, {@code --}) goes to picocli, so usage, errors and suggestions stay picocli's.
 */
final class LeanRun {
  /** The options of run taken here that take a value (as the next argument). */
  static final Set<String> VALUED = Set.of("-e", "--arch", "--kernel", "--config", "--cpus", "--btf");
  /** The options of run taken here that take none. */
  static final Set<String> FLAGS = Set.of("--json", "-i", "--interactive");

  private LeanRun() {}

  /** The run the arguments ask for, with picocli's defaults; null when picocli must parse them. */
  static Main.Run parse(String[] args) {
    if (args.length == 0 || !args[0].equals("run")) {
      return null;
    }
    Main.Run run = new Main.Run();
    run.machine = new ProfileOptions();
    run.machine.cpus = 1; // picocli's defaultValue
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (plain(a)) {
        if (run.scenario != null) {
          return null; // picocli's "unmatched argument"
        }
        run.scenario = a;
      } else if (isFlag(a)) {
        if (!seen.add(flagName(a))) {
          return null;
        }
        set(run, a, null);
      } else if (takesValue(a) && i + 1 < args.length && plain(args[i + 1])
          && (repeatable(a) || seen.add(a))) {
        if (!set(run, a, args[++i])) {
          return null;
        }
      } else {
        return null;
      }
    }
    return run;
  }

  /** An argument picocli would take as a value or the scenario as it is: not an option, not @file. */
  private static boolean plain(String a) {
    return !a.isEmpty() && !a.startsWith("-") && !a.startsWith("@");
  }

  private static boolean takesValue(String option) {
    return VALUED.contains(option);
  }

  private static boolean repeatable(String option) {
    return option.equals("-e") || option.equals("--config");
  }

  private static boolean isFlag(String option) {
    return FLAGS.contains(option);
  }

  /** -i and --interactive are one option: given both, picocli decides. */
  private static String flagName(String option) {
    return option.equals("-i") ? "--interactive" : option;
  }

  /** Sets an option (value null for a flag); false when picocli must say what the value means. */
  private static boolean set(Main.Run run, String option, String value) {
    switch (option) {
      case "-e" -> run.commands.add(value);
      case "--arch" -> run.machine.arch = value;
      case "--kernel" -> run.machine.kernel = value;
      case "--config" -> run.machine.config.add(value);
      case "--btf" -> run.btf = value;
      case "--json" -> run.json = true;
      case "-i", "--interactive" -> run.interactive = true;
      case "--cpus" -> {
        // picocli converts with Integer.valueOf; a sign, a long number or a non-number: its message
        if (!value.matches("[0-9]{1,9}")) {
          return false;
        }
        run.machine.cpus = Integer.parseInt(value);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Runs it as picocli would: the exit code; an exception it lets through is an internal error. */
  static int execute(Main.Run run, InputStream in, PrintWriter out, PrintWriter err) {
    try {
      return run.call(out, err, in);
    } catch (RuntimeException ex) {
      return Main.internalError(err, ex);
    }
  }
}
