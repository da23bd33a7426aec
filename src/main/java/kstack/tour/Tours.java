package kstack.tour;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The built-in tours, one per topic of the texts, in the order a reader meets the topics; each is
 * the file {@code kstack/tours/NAME.tour} on the class path (an explicit list: no scanning).
 */
public final class Tours {
  /** The tours' names, in reading order. */
  public static final List<String> NAMES = List.of("boot", "first-tasks", "kthreadd", "syscall",
      "switch", "irq-stacks", "stack-layouts", "user-frames", "overflow");

  private Tours() {}

  /** The tour of that name; a TourError lists the tours when there is none. */
  public static Tour load(String name) {
    if (!NAMES.contains(name)) {
      throw new TourError("no tour '" + name + "' (tours: " + String.join(", ", NAMES) + ")");
    }
    try (InputStream in = Tours.class.getResourceAsStream("/kstack/tours/" + name + ".tour")) {
      if (in == null) {
        throw new IllegalStateException("tour " + name + " is missing from the jar");
      }
      return TourFile.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read tour " + name + ": " + e);
    }
  }

  /** Every built-in tour, in order. */
  public static List<Tour> all() {
    return NAMES.stream().map(Tours::load).toList();
  }

  /** The language if it is one the tours are written in; else a TourError naming them. */
  public static String language(String lang) {
    if (!Tour.LANGUAGES.contains(lang)) {
      throw new TourError("no language '" + lang + "' (tours are written in "
          + String.join(", ", Tour.LANGUAGES) + ")");
    }
    return lang;
  }
}
