package kstack.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Source;
import kstack.profile.Profile;
import kstack.view.Pictures;
import kstack.view.SvgPicture;
import kstack.web.Requests.Refused;

/**
 * {@code kstack web}: the JDK's HTTP server on the loopback address only, serving the page (its
 * files, named one by one: nothing else is ever read from disk or the class path) and a
 * small API over one session per tab: {@code POST /api/session} makes one, {@code POST
 * /api/run?session=ID} runs one command line of the command language (the body), {@code GET
 * /api/svg?session=ID[&pid=N]} draws the session's stacks. Bad requests get a 4xx status and a
 * one-line message; limits in {@link Requests}.
 */
public final class WebServer {
  /** The page's files: path, class-path resource, content type. */
  private static final Map<String, String[]> PAGE = Map.of(
      "/", new String[] {"index.html", "text/html; charset=utf-8"},
      "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
      "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
      "/tours.js", new String[] {"tours.js", "text/javascript; charset=utf-8"});

  private final HttpServer server;
  private final ExecutorService pool;
  private final WebSessions sessions;
  private final String label;

  private WebServer(HttpServer server, WebSessions sessions, String label) {
    this.server = server;
    this.sessions = sessions;
    this.label = label;
    this.pool = Executors.newFixedThreadPool(4);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
  }

  /**
   * Starts serving on 127.0.0.1:port (0: a free port) a fresh machine of the profile per tab,
   * each having run the scenario's lines.
   */
  public static WebServer start(Profile p, int cpus, List<Source.Line> scenario, int port)
      throws IOException {
    // a request whose head or body does not arrive within the time is dropped (the JDK server's
    // own limit, read when its first server is made), so a stalled client cannot hold a thread
    System.setProperty("sun.net.httpserver.maxReqTime",
        System.getProperty("sun.net.httpserver.maxReqTime", "30"));
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        32);
    WebServer w = new WebServer(s, new WebSessions(p, cpus, scenario), p.label());
    s.start();
    return w;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  public void stop() {
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange x) {
    try (x) {
      try {
        route(x);
      } catch (Refused r) {
        send(x, r.status, "application/json", "{\"error\":" + Json.str(r.getMessage()) + "}");
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        send(x, 500, "application/json", "{\"error\":" + Json.str("internal error: "
            + Json.oneLine(String.valueOf(e))) + "}");
      }
    } catch (IOException clientGone) {
      // the client closed the connection mid-answer: nothing to tell it, others are unaffected
    }
  }

  private void route(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getRawPath();
    String method = x.getRequestMethod();
    if (!path.startsWith("/api/")) {
      String[] page = PAGE.get(path);
      if (page == null) {
        throw new Refused(404, "no such page: " + Json.oneLine(path));
      }
      need(method, "GET");
      send(x, 200, page[1], resource(page[0]));
      return;
    }
    Map<String, String> q = Requests.query(x);
    switch (path) {
      case "/api/session" -> {
        need(method, "POST");
        WebSessions.Tab t;
        try {
          t = sessions.create();
        } catch (ScriptError e) {
          throw new Refused(500, "the scenario failed: " + e.located());
        }
        send(x, 200, "application/json", "{\"session\":" + Json.str(t.id()) + ",\"profile\":"
            + Json.str(label) + "}");
      }
      case "/api/run" -> {
        need(method, "POST");
        WebSessions.Tab t = tab(q);
        String body = Requests.body(x);
        send(x, 200, "application/json", run(t, body));
      }
      case "/api/svg" -> {
        need(method, "GET");
        WebSessions.Tab t = tab(q);
        Integer pid = Requests.integer(q, "pid");
        String svg;
        synchronized (t) {
          var m = t.machine();
          if (pid != null && m.inspector().findTaskByVpid(pid) == 0) {
            throw new Refused(404, "no task with pid " + pid);
          }
          var snap = m.inspector().snapshot();
          svg = SvgPicture.render(Pictures.of(snap, pid, "kstack " + label + ", step "
              + snap.step() + (pid == null ? ": every stack" : ": pid " + pid)));
        }
        send(x, 200, "image/svg+xml; charset=utf-8", svg);
      }
      case "/api/tours" -> {
        need(method, "GET");
        send(x, 200, "application/json", TourApi.list(q));
      }
      case "/api/tour" -> {
        need(method, "GET");
        send(x, 200, "application/json", TourApi.stop(q, sessions));
      }
      default -> throw new Refused(404, "no such API: " + Json.oneLine(path));
    }
  }

  /** Runs one command line; the command's lines, or its located error, as JSON. */
  private static String run(WebSessions.Tab t, String line) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new Refused(400, "one command per request (the body has a line break)");
    }
    String text = line.strip();
    if (text.startsWith("export")) {
      throw new Refused(400, "export writes a file on the server; the page draws the stacks itself");
    }
    synchronized (t) {
      try {
        Result r = t.session().execute(new Source.Line("<web>", 1, 1, text));
        return "{\"ok\":true,\"lines\":" + Json.list(r.text()) + ",\"step\":"
            + t.machine().timeline().steps() + "}";
      } catch (ScriptError e) {
        return "{\"ok\":false,\"error\":" + Json.str(e.located()) + ",\"step\":"
            + t.machine().timeline().steps() + "}";
      }
    }
  }

  private WebSessions.Tab tab(Map<String, String> q) {
    String id = q.get("session");
    if (id == null || id.isEmpty()) {
      throw new Refused(400, "parameter 'session' is missing");
    }
    WebSessions.Tab t = sessions.get(id);
    if (t == null) {
      throw new Refused(404, "no session " + Json.oneLine(id) + " (expired or never made)");
    }
    return t;
  }

  private static void need(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new Refused(405, "method " + Json.oneLine(method) + " not allowed here (use "
          + allowed + ")");
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = WebServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing page resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }
}
