package kstack.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kstack.profile.Profile;
import kstack.web.Requests.Refused;

/**
 * {@code kstack web}: the JDK's HTTP server on the loopback address only, serving the page (its
 * files, named one by one in {@link #PAGE}: nothing else is ever read from disk or the class path)
 * and the {@link Api} over one session per tab. Bad requests get a 4xx status and a one-line
 * message; limits in {@link Requests}. Sessions idle for {@link #IDLE_MINUTES} are released; a
 * sweeper also pings the event streams so that those of closed tabs are dropped.
 */
public final class WebServer {
  static final long IDLE_MINUTES = 15;
  private static final String JS = "text/javascript; charset=utf-8";
  /** The page's files: path, class-path resource, content type. */
  private static final Map<String, String[]> PAGE = Map.of(
      "/", new String[] {"index.html", "text/html; charset=utf-8"},
      "/app.js", new String[] {"app.js", JS},
      "/api.js", new String[] {"api.js", JS},
      "/panes.js", new String[] {"panes.js", JS},
      "/time.js", new String[] {"time.js", JS},
      "/compare.js", new String[] {"compare.js", JS},
      "/tours.js", new String[] {"tours.js", JS},
      "/zoom.js", new String[] {"zoom.js", JS},
      "/drawing.js", new String[] {"drawing.js", JS},
      "/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

  private final HttpServer server;
  private final ExecutorService pool;
  private final ScheduledExecutorService sweeper;
  private final WebSessions sessions;
  private final Api api;

  private WebServer(HttpServer server, WebSessions sessions, Profile p) {
    this.server = server;
    this.sessions = sessions;
    this.api = new Api(sessions, p);
    this.pool = Executors.newFixedThreadPool(4);
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kstack-web-sweeper");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    sweeper.scheduleWithFixedDelay(() -> {
      sessions.releaseIdle();
      sessions.pingStreams();
    }, 15, 15, TimeUnit.SECONDS);
  }

  /**
   * Starts serving on 127.0.0.1:port (0: a free port) a fresh machine per tab, of the profile p or
   * of another the page asks for, each having run a scenario from scenarios (null: the server's).
   */
  public static WebServer start(Profile p, int cpus, ScenarioSource scenarios,
      int port) throws IOException {
    // a request whose head or body does not arrive within the time is dropped (the JDK server's
    // own limit, read when its first server is made), so a stalled client cannot hold a thread
    System.setProperty("sun.net.httpserver.maxReqTime",
        System.getProperty("sun.net.httpserver.maxReqTime", "30"));
    // TCP_NODELAY on its sockets: the server writes an answer's head and body separately, and
    // without it the body waits for the client's delayed ACK of the head (about 40 ms an answer)
    System.setProperty("sun.net.httpserver.nodelay",
        System.getProperty("sun.net.httpserver.nodelay", "true"));
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        32);
    WebSessions sessions = new WebSessions(cpus, scenarios,
        TimeUnit.MINUTES.toNanos(IDLE_MINUTES), System::nanoTime);
    WebServer w = new WebServer(s, sessions, p);
    s.start();
    return w;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  /** The sessions (the benchmark reaches a tab's method behind the API through them). */
  WebSessions sessions() {
    return sessions;
  }

  public void stop() {
    sweeper.shutdownNow();
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange x) {
    boolean close = true;
    try {
      try {
        close = route(x);
      } catch (Refused r) {
        send(x, r.status, "application/json", "{\"error\":" + Json.str(r.getMessage()) + "}");
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        send(x, 500, "application/json", "{\"error\":" + Json.str("internal error: "
            + Json.oneLine(String.valueOf(e))) + "}");
      }
    } catch (IOException clientGone) {
      // the client closed the connection mid-answer: nothing to tell it, others are unaffected
    } finally {
      if (close) {
        x.close();
      }
    }
  }

  private boolean route(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getRawPath();
    String method = x.getRequestMethod();
    if (path.startsWith("/api/")) {
      return api.handle(x, path, method);
    }
    String[] page = PAGE.get(path);
    String text = page == null ? null : resource(page[0]);
    if (text == null) {
      throw new Refused(404, "no such page: " + Json.oneLine(path));
    }
    Api.need(method, "GET");
    send(x, 200, page[1], text);
    return true;
  }

  /** A page resource's text, or null when the build has none by that name. */
  private static String resource(String name) throws IOException {
    try (InputStream in = WebServer.class.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void json(HttpExchange x, String body) throws IOException {
    send(x, 200, "application/json", body);
  }

  static void send(HttpExchange x, int status, String type, String body) throws IOException {
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
