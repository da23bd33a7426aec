package kstack.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.catalog.Profiles;

/**
 * The text form of a tour, one {@code key: value} a line ({@code #} starts a comment line):
 * {@code title}, {@code title.zh} and {@code profiles} (comma-separated "ARCH KERNEL") first, then
 * each stop from a line {@code stop}: {@code on} (a profile of its own), {@code pid}, {@code look},
 * {@code run} (one command, repeatable, run in order) and its text, {@code en} and {@code zh}
 * (repeatable: the lines are joined). Every stop needs a look and a text in every language.
 */
final class TourFile {
  private static final List<String> HEAD = List.of("title", "title.zh", "profiles");
  private static final List<String> STOP = List.of("on", "pid", "look", "run", "en", "zh");

  private final String name;
  private final String file;
  private final Map<String, String> titles = new LinkedHashMap<>();
  private final List<String> profiles = new ArrayList<>();
  private final List<Tour.Stop> stops = new ArrayList<>();
  private StopBuilder stop;

  private TourFile(String name) {
    this.name = name;
    this.file = "tours/" + name + ".tour";
  }

  /** The tour the text describes; a TourError at FILE:LINE names what is wrong. */
  static Tour parse(String name, String text) {
    TourFile f = new TourFile(name);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      f.line(i + 1, lines[i]);
    }
    f.endStop(lines.length);
    return f.finish();
  }

  private void line(int n, String raw) {
    String s = raw.strip();
    if (s.isEmpty() || s.startsWith("#")) {
      return;
    }
    if (s.equals("stop")) {
      endStop(n);
      stop = new StopBuilder(n);
      return;
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw error(n, "expected 'stop' or 'KEY: VALUE', not '" + s + "'");
    }
    String key = s.substring(0, colon).strip();
    String value = s.substring(colon + 1).strip();
    if (value.isEmpty()) {
      throw error(n, "'" + key + "' has no value");
    }
    if (stop == null) {
      head(n, key, value);
    } else {
      stop.put(n, raw.indexOf(value) + 1, key, value);
    }
  }

  private void head(int n, String key, String value) {
    switch (key) {
      case "title" -> titles.put("en", value);
      case "title.zh" -> titles.put("zh", value);
      case "profiles" -> {
        for (String p : value.split(",")) {
          profiles.add(profile(n, p.strip()));
        }
      }
      default -> throw error(n, "unknown key '" + key + "' before the first stop (known: "
          + String.join(", ", HEAD) + ")");
    }
  }

  /** "ARCH KERNEL" checked against the profile table. */
  private String profile(int n, String p) {
    String[] w = p.split("\\s+");
    if (w.length != 2 || Profiles.find(w[0], w[1]).isEmpty()) {
      throw error(n, "no profile '" + p + "' (write ARCH KERNEL, e.g. 'x86_64 4.16'; known: "
          + Profiles.names() + ")");
    }
    return w[0] + " " + w[1];
  }

  private void endStop(int n) {
    if (stop != null) {
      stops.add(stop.build());
      stop = null;
    }
  }

  private Tour finish() {
    for (String lang : Tour.LANGUAGES) {
      if (!titles.containsKey(lang)) {
        throw error(1, "no title in '" + lang + "' (title" + (lang.equals("en") ? "" : "." + lang)
            + ": ...)");
      }
    }
    if (profiles.isEmpty()) {
      throw error(1, "no 'profiles:' line (the profiles the tour is written for)");
    }
    if (stops.isEmpty()) {
      throw error(1, "no stops");
    }
    return new Tour(name, titles, profiles, stops);
  }

  private TourError error(int n, String message) {
    return new TourError(file + ":" + n + ": " + message);
  }

  /** The keys of one stop as they are read. */
  private final class StopBuilder {
    final int line;
    final Map<String, String> texts = new LinkedHashMap<>();
    final List<Tour.Command> commands = new ArrayList<>();
    String on;
    String look;
    Integer pid;

    StopBuilder(int line) {
      this.line = line;
    }

    void put(int n, int column, String key, String value) {
      switch (key) {
        case "on" -> on = profile(n, value);
        case "look" -> look = value;
        case "run" -> commands.add(new Tour.Command(n, column, value));
        case "pid" -> {
          if (!value.matches("\\d{1,6}")) {
            throw error(n, "pid takes a number, not '" + value + "'");
          }
          pid = Integer.valueOf(value);
        }
        case "en", "zh" -> texts.merge(key, value, (a, b) -> a + (key.equals("en") ? " " : "") + b);
        default -> throw error(n, "unknown key '" + key + "' in a stop (known: "
            + String.join(", ", STOP) + ")");
      }
    }

    Tour.Stop build() {
      for (String lang : Tour.LANGUAGES) {
        if (!texts.containsKey(lang)) {
          throw error(line, "the stop has no text in '" + lang + "'");
        }
      }
      if (look == null) {
        throw error(line, "the stop has no 'look:' (the region of the drawing it points at)");
      }
      if (stops.isEmpty() && on == null && profiles.isEmpty()) {
        throw error(line, "the first stop has no machine: give 'profiles:' or 'on:'");
      }
      return new Tour.Stop(line, texts, on, commands, look, pid);
    }
  }
}
