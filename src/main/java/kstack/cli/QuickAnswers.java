package kstack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * {@code kstack --version} and {@code kstack --help} answered without picocli. Building picocli's
 * command model reads every subcommand's annotations by reflection and loads some 170 of its
 * classes: most of the half second these two took. The version is a constant; the top-level usage
 * is the text picocli renders, kept as a resource ({@code usage.txt}) that a test compares with
 * picocli's rendering, so the two cannot drift apart. Any other arguments go to picocli.
 */
final class QuickAnswers {
  /** What {@code --version} prints (also picocli's {@code version}). */
  static final String VERSION = "kstack 0.1.0";

  private QuickAnswers() {}

  /** Prints the answer when args is exactly --version/-V or --help/-h; whether it did. */
  static boolean answer(String[] args, PrintStream out) {
    if (args.length != 1) {
      return false;
    }
    switch (args[0]) {
      case "--version", "-V" -> out.println(VERSION);
      case "--help", "-h" -> out.print(usage());
      default -> {
        return false;
      }
    }
    out.flush();
    return true;
  }

  /** The top-level usage as picocli renders it (the resource usage.txt). */
  static String usage() {
    try (InputStream in = QuickAnswers.class.getResourceAsStream("usage.txt")) {
      if (in == null) {
        throw new IllegalStateException("usage.txt is missing from the kstack jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
