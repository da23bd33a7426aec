package kstack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line picocli parses, with only the subcommand the arguments name. picocli builds the
 * model of every subcommand it is given by reflection on its annotations (and its classes, compiled
 * for Java 5, are not kept in the class-data archive, so each is verified anew on every run): for
 * {@code kstack run ...} the eight subcommands not run cost about a third of picocli's start-up. When
 * the first argument is not a subcommand's name (no arguments, an option, a mistyped name), the
 * full model is built, so that usage, --help and picocli's suggestions list every subcommand.
 */
final class LeanCommandLine {
  private LeanCommandLine() {}

  /** main's command line: the top-level command with args[0]'s subcommand only, where it names one. */
  static CommandLine of(Main main, String[] args) {
    Class<?> sub = args.length == 0 ? null : subcommand(args[0]);
    if (sub == null) {
      return new CommandLine(main);
    }
    Command top = Main.class.getAnnotation(Command.class);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(main);
    spec.name(top.name());
    spec.version(top.version());
    spec.usageMessage().description(top.description());
    spec.mixinStandardHelpOptions(true);
    CommandLine cl = new CommandLine(spec);
    cl.addSubcommand(instance(sub));
    return cl;
  }

  /** The subcommand class whose @Command name is name, or null. */
  static Class<?> subcommand(String name) {
    for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
      if (c.getAnnotation(Command.class).name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static Object instance(Class<?> c) {
    try {
      var ctor = c.getDeclaredConstructor();
      ctor.setAccessible(true);
      return ctor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the " + c.getSimpleName() + " subcommand", e);
    }
  }
}
