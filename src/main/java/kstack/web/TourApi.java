package kstack.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.tour.Guide;
import kstack.tour.Tour;
import kstack.tour.TourError;
import kstack.tour.Tours;
import kstack.web.Requests.Refused;

/**
 * The tours for the page (kstack.tour): {@code GET /api/tours?lang=L} lists them; {@code GET
 * /api/tour?name=N&stop=K&lang=L} brings a fresh machine of the tour to stop K (1-based; the stops
 * before it on the same machine replayed) and registers it as a session the page can go on
 * with, answering the stop's text, the commands it ran with their output, and the id of the
 * drawing's element it points at.
 */
final class TourApi {
  private TourApi() {}

  /** The tour list as JSON. */
  static String list(Map<String, String> q) {
    String lang = lang(q);
    List<String> items = new ArrayList<>();
    for (Tour t : Tours.all()) {
      items.add("{\"name\":" + Json.str(t.name()) + ",\"title\":" + Json.str(t.title(lang))
          + ",\"profiles\":" + Json.list(t.profiles()) + ",\"stops\":" + t.stops().size() + "}");
    }
    return "{\"tours\":[" + String.join(",", items) + "]}";
  }

  /** One stop reached, as JSON, its machine kept as a new session. */
  static String stop(Map<String, String> q, WebSessions sessions) {
    String lang = lang(q);
    String name = q.get("name");
    if (name == null || name.isEmpty()) {
      throw new Refused(400, "parameter 'name' is missing (a tour: " + String.join(", ",
          Tours.NAMES) + ")");
    }
    Integer stop = Requests.integer(q, "stop");
    Guide.Visit v;
    Tour t;
    try {
      t = Tours.load(name);
      v = new Guide(t, null, 1).visit(stop == null ? 0 : stop - 1);
    } catch (TourError e) {
      throw new Refused(e.getMessage().startsWith("no tour") || e.getMessage().contains(
          "has stops") ? 404 : 500, e.getMessage());
    }
    int at = v.index();
    Tab tab = sessions.adopt(v.session(), () -> new Guide(t, null, 1).visit(at).session());
    List<String> ran = new ArrayList<>();
    for (Guide.Ran r : v.ran()) {
      ran.add("{\"command\":" + Json.str(r.command()) + ",\"lines\":" + Json.list(r.lines())
          + "}");
    }
    var s = v.sight();
    return "{\"session\":" + Json.str(tab.id()) + ",\"profile\":" + Json.str(v.profile())
        + ",\"tour\":" + Json.str(t.name()) + ",\"title\":" + Json.str(t.title(lang))
        + ",\"stop\":" + (v.index() + 1) + ",\"stops\":" + t.stops().size()
        + ",\"pid\":" + v.pid()
        + ",\"text\":" + Json.str(v.stop().texts().get(lang)) + ",\"ran\":["
        + String.join(",", ran) + "],\"look\":{\"id\":" + Json.str(s.elementId()) + ",\"label\":"
        + Json.str(s.label()) + ",\"stack\":" + Json.str(s.stack()) + ",\"low\":"
        + Json.str(String.format("0x%x", s.low())) + ",\"high\":"
        + Json.str(String.format("0x%x", s.high())) + "}}";
  }

  private static String lang(Map<String, String> q) {
    String lang = q.getOrDefault("lang", "en");
    try {
      return Tours.language(lang);
    } catch (TourError e) {
      throw new Refused(400, e.getMessage());
    }
  }
}
