package kstack.tour;

import java.util.List;
import java.util.Map;

/**
 * A guided tour: its name (the file name under {@code kstack/tours/}), title per language, the
 * profiles it is written for (the first is the default; a stop with its own {@code on} profile
 * starts a fresh machine there) and its stops.
 *
 * @param name     the tour's name ({@code kstack tour NAME})
 * @param titles   language ("en", "zh") to title
 * @param profiles "ARCH KERNEL" names, the first the default
 * @param stops    the stops, in order
 */
public record Tour(String name, Map<String, String> titles, List<String> profiles,
    List<Stop> stops) {
  /** The languages every tour is written in; the first is the default. */
  public static final List<String> LANGUAGES = List.of("en", "zh");

  public Tour {
    titles = Map.copyOf(titles);
    profiles = List.copyOf(profiles);
    stops = List.copyOf(stops);
  }

  /**
   * One stop: the explanation per language, the profile a fresh machine is made of for it (null:
   * go on with the machine of the stop before), the commands it runs, the region of the drawing it
   * points at ({@link Sights}) and whose picture that is (a pid; null: the selected CPU's current
   * task).
   *
   * @param line     where the stop starts in the tour's file
   * @param texts    language to explanation
   * @param on       "ARCH KERNEL" or null
   * @param commands the commands, each with its line in the file
   * @param look     what to point at in the drawing
   * @param pid      whose picture, or null
   */
  public record Stop(int line, Map<String, String> texts, String on, List<Command> commands,
      String look, Integer pid) {
    public Stop {
      texts = Map.copyOf(texts);
      commands = List.copyOf(commands);
    }
  }

  /** A command of a stop and where it is in the tour's file (line, column of its first letter). */
  public record Command(int line, int column, String text) {}

  /** The title in a language. */
  public String title(String lang) {
    return titles.get(lang);
  }

  /** Whether a stop picks its own machine (such a tour compares profiles and takes no other). */
  public boolean comparesProfiles() {
    return stops.stream().anyMatch(s -> s.on() != null);
  }

  /** The file the tour comes from, as errors name it. */
  public String file() {
    return "tours/" + name + ".tour";
  }
}
