package kstack.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.lang.ScriptError;
import kstack.machine.CpuLimits;
import kstack.profile.Profile;
import kstack.tour.Excerpt;
import kstack.tour.Guide;
import kstack.tour.Tour;
import kstack.tour.TourError;
import kstack.tour.Tours;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * kstack tour: {@code tour list} lists the guided tours; {@code tour NAME} runs one (kstack.tour)
 * and prints each stop: its explanation, the commands and their output, and the part of
 * {@code stack --draw}'s diagram it points at. Exit codes as run's: 1 a stop failed, 2 usage.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
    description = "Guided tours of the texts' topics: 'tour list', or 'tour NAME' runs one.")
final class TourCommand implements Callable<Integer> {
  private static final int WIDTH = 100;

  @Spec
  CommandSpec spec;

  @Option(names = "--lang", defaultValue = "en", description = "en or zh (Simplified Chinese)")
  String lang;

  @picocli.CommandLine.Mixin
  ProfileOptions machine;

  @Parameters(paramLabel = "NAME", description = "'list', or the tour to run")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Guide guide;
    try {
      Tours.language(lang);
      if (name.equals("list")) {
        list(out);
        return 0;
      }
      Tour t = Tours.load(name);
      Profile p = null;
      if (machine.arch != null || machine.kernel != null) {
        p = machine.profile();
      } else if (!machine.config.isEmpty() || machine.cpus != 1) {
        p = machine.configured(Guide.named(t.profiles().get(0)));
      }
      if (p != null) {
        CpuLimits.check(p, machine.cpus);
      }
      guide = new Guide(t, p, machine.cpus);
    } catch (TourError | IllegalArgumentException e) {
      err.println("kstack: tour: " + ScriptError.oneLine(e.getMessage()));
      return 2;
    }
    Tour t = guide.tour();
    out.println("Tour " + t.name() + ": " + t.title(lang) + " (" + t.stops().size() + " stops; "
        + (t.comparesProfiles() ? String.join(", ", t.profiles()) : guide.profile().label()) + ")");
    try {
      guide.walk(v -> stop(out, t, v));
    } catch (TourError e) {
      err.println("kstack: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private void list(PrintWriter out) {
    for (Tour t : Tours.all()) {
      out.printf("%-14s %s [%s]%n", t.name(), t.title(lang), String.join(", ", t.profiles()));
    }
  }

  private void stop(PrintWriter out, Tour t, Guide.Visit v) {
    out.println();
    out.println("== " + (v.index() + 1) + "/" + t.stops().size() + " (" + v.profile() + ")");
    for (String l : wrap(v.stop().texts().get(lang))) {
      out.println(l);
    }
    for (Guide.Ran r : v.ran()) {
      out.println("(kstack) " + r.command());
      r.lines().forEach(out::println);
    }
    var s = v.sight();
    out.println("-- look: " + s.label() + (s.low() == s.high() ? String.format(" at 0x%x", s.low())
        : String.format(", 0x%x..0x%x", s.low(), s.high())) + ", on " + s.stack());
    Excerpt.of(v).forEach(out::println);
  }

  /** Text with spaces wrapped at WIDTH; text without (Chinese) is left to the terminal. */
  private static List<String> wrap(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
        out.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    out.add(line.toString());
    return out;
  }
}
