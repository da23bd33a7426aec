package kstack.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import kstack.catalog.Profiles;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.profile.Profile;
import kstack.web.Requests.Refused;

/**
 * The API under {@code /api/}: sessions (made, released), commands, time travel (step, seek, jump
 * to an event), the panes' state, the drawing (of a {@link Selection}), the event stream and the
 * side-by-side comparison. Each handler
 * reads its parameters through {@link Requests} and answers JSON (the drawing: SVG).
 */
final class Api {
  private final WebSessions sessions;
  private final Profile profile;

  Api(WebSessions sessions, Profile profile) {
    this.sessions = sessions;
    this.profile = profile;
  }

  /** Answers one API request; false when it kept the exchange open (an event stream). */
  boolean handle(HttpExchange x, String path, String method) throws IOException {
    Map<String, String> q = Requests.query(x);
    switch (path) {
      case "/api/session" -> {
        need(method, "POST");
        Tab t = create(q);
        WebServer.json(x, "{\"session\":" + Json.str(t.id()) + ",\"profile\":"
            + Json.str(t.profile().label()) + ",\"arch\":" + Json.str(t.profile().arch())
            + ",\"kernel\":" + Json.str(t.profile().kernel()) + ",\"profiles\":"
            + Json.list(Profiles.all().stream().map(p -> p.arch() + ":" + p.kernel()).toList())
            + "}");
      }
      case "/api/run" -> {
        need(method, "POST");
        Tab t = tab(q, "session");
        WebServer.json(x, run(t, Requests.body(x)));
      }
      case "/api/step" -> {
        need(method, "POST");
        Tab t = tab(q, "session");
        try {
          t.step(direction(q));
        } catch (ScriptError e) {
          throw new Refused(409, Json.oneLine(e.getMessage()));
        }
        WebServer.json(x, "{\"step\":" + t.step() + "}");
      }
      case "/api/seek" -> {
        need(method, "POST");
        Tab t = tab(q, "session");
        Long step = Requests.number(q, "step");
        if (step == null) {
          throw new Refused(400, "parameter 'step' is missing");
        }
        t.seek(step);
        WebServer.json(x, "{\"step\":" + t.step() + "}");
      }
      case "/api/jump" -> {
        need(method, "POST");
        Tab t = tab(q, "session");
        History.Kind kind = History.Kind.named(q.getOrDefault("kind", ""));
        if (kind == null) {
          throw new Refused(400, "parameter 'kind' must be syscall, stack, switch or irq");
        }
        boolean forward = direction(q);
        if (!t.jump(kind, forward)) {
          throw new Refused(404, "no " + (forward ? "later " : "earlier ") + kind.label
              + " in this run");
        }
        WebServer.json(x, "{\"step\":" + t.step() + "}");
      }
      case "/api/state" -> {
        need(method, "GET");
        WebServer.json(x, tab(q, "session").stateJson());
      }
      case "/api/svg" -> {
        need(method, "GET");
        Tab t = tab(q, "session");
        Integer pid = Requests.integer(q, "pid");
        String svg = t.svg(pid);
        if (svg == null) {
          throw new Refused(404, "no task with pid " + pid);
        }
        WebServer.send(x, 200, "image/svg+xml; charset=utf-8", svg);
      }
      case "/api/drawing" -> {
        need(method, "GET");
        WebServer.json(x, tab(q, "session").drawing(Selection.of(q)));
      }
      case "/api/release" -> {
        need(method, "POST");
        String id = q.get("session");
        if (id == null || id.isEmpty()) {
          throw new Refused(400, "parameter 'session' is missing");
        }
        WebServer.json(x, "{\"released\":" + sessions.release(id) + "}");
      }
      case "/api/stream" -> {
        need(method, "GET");
        tab(q, "session").streams().add(x);
        return false;
      }
      case "/api/compare" -> {
        need(method, "GET");
        Tab a = tab(q, "a");
        Tab b = tab(q, "b");
        WebServer.json(x, Tab.json(Compare.of(a, b, Selection.of(q))));
      }
      case "/api/tours" -> {
        need(method, "GET");
        WebServer.json(x, TourApi.list(q));
      }
      case "/api/tour" -> {
        need(method, "GET");
        WebServer.json(x, TourApi.stop(q, sessions));
      }
      default -> throw new Refused(404, "no such API: " + Json.oneLine(path));
    }
    return true;
  }

  /** A session on the profile the query names (arch and kernel; default the server's). */
  private Tab create(Map<String, String> q) {
    String arch = q.get("arch");
    String kernel = q.get("kernel");
    String scenario = q.get("scenario");
    if (scenario != null && !scenario.matches("[a-z0-9_-]{1,40}")) {
      throw new Refused(400, "parameter 'scenario' must name a built-in scenario, not '"
          + Json.oneLine(scenario) + "'");
    }
    Profile p = profile;
    if (arch != null || kernel != null) {
      if (arch == null || kernel == null) {
        throw new Refused(400, "parameters 'arch' and 'kernel' go together");
      }
      p = Profiles.find(arch, kernel).orElseThrow(() -> new Refused(400, "no profile for arch '"
          + Json.oneLine(arch) + "' kernel '" + Json.oneLine(kernel) + "' (known: "
          + Profiles.names() + ")"));
    }
    try {
      return sessions.create(p, scenario);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, Json.oneLine(e.getMessage()));
    } catch (ScriptError e) {
      throw new Refused(500, "the scenario failed: " + e.located());
    }
  }

  /** Runs one command line; the command's lines, or its located error, as JSON. */
  private static String run(Tab t, String line) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new Refused(400, "one command per request (the body has a line break)");
    }
    String text = line.strip();
    if (text.startsWith("export")) {
      throw new Refused(400, "export writes a file on the server; the page draws the stacks itself");
    }
    try {
      Result r = t.run(text);
      return "{\"ok\":true,\"lines\":" + Json.list(r.text()) + ",\"step\":" + t.step() + "}";
    } catch (ScriptError e) {
      return "{\"ok\":false,\"error\":" + Json.str(e.located()) + ",\"step\":" + t.step() + "}";
    }
  }

  private static boolean direction(Map<String, String> q) {
    String d = q.getOrDefault("dir", "");
    return switch (d) {
      case "forward", "next" -> true;
      case "back", "prev" -> false;
      default -> throw new Refused(400, "parameter 'dir' must be forward or back, not '"
          + Json.oneLine(d) + "'");
    };
  }

  private Tab tab(Map<String, String> q, String name) {
    String id = q.get(name);
    if (id == null || id.isEmpty()) {
      throw new Refused(400, "parameter '" + name + "' is missing");
    }
    Tab t = sessions.get(id);
    if (t == null) {
      throw new Refused(404, "no session " + Json.oneLine(id) + " (expired or never made)");
    }
    return t;
  }

  static void need(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new Refused(405, "method " + Json.oneLine(method) + " not allowed here (use "
          + allowed + ")");
    }
  }
}
