package kstack.web;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI's step latency at 1,000,000 recorded steps (a benchmark, not a test): a session whose
 * scenario boots, spawns sh and makes getpid calls until the run has recorded at least a million
 * steps, then stops at a breakpoint in write(2). Measured, after a warm-up, as p50/p95 (and
 * min/max): a step back and a step forward at the run's end through the method behind the API
 * (Tab.step, which also makes the panes' state), the same over HTTP as the page does it (POST
 * /api/step, then GET /api/state and GET /api/drawing of the current task; and the drawing of
 * every stack alone), a scrub to a random earlier step, a scrub to
 * a random step anywhere in the run (the machine's record goto, either way, without executing).
 * Then the page's
 * load time in headless Chromium (navigation to the page's first drawing), when chromedriver is
 * there. Run: java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * kstack.web.StepLatencyBench [STEPS]
 */
public final class StepLatencyBench {
  private StepLatencyBench() {}

  public static void main(String[] args) throws Exception {
    long target = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    Profile p = Profiles.x86_64_6_19();
    List<String> lines = new ArrayList<>(List.of("boot", "spawn sh"));
    for (long i = 0; i < target / 60; i++) {
      lines.add("syscall getpid()");
    }
    lines.add("break vfs_write");
    lines.add("syscall write(1, \"x\")");
    WebServer server = TestServers.start(p, lines);
    HttpClient http = HttpClient.newHttpClient();
    String base = server.url();
    long t0 = System.nanoTime();
    String made = send(http, "POST", base + "api/session");
    System.out.printf("session made in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    String id = made.replaceAll(".*\"session\":\"([0-9a-f]+)\".*", "$1");
    Tab tab = findTab(server, id);
    System.out.printf("profile %s, recorded steps %d%n", p.label(), tab.step());
    report("Tab.step back", 50, 300, () -> tab.step(false));
    tab.seek(Long.MAX_VALUE);
    report("Tab.step forward at the run's end (stepi)", 3, 20, () -> tab.step(true));
    String q = "?session=" + id;
    report("HTTP step back + state + svg pid 3 (the page before)", 30, 200, () -> {
      send(http, "POST", base + "api/step" + q + "&dir=back");
      send(http, "GET", base + "api/state" + q);
      send(http, "GET", base + "api/svg" + q + "&pid=3");
    });
    report("HTTP step back + state + drawing (as the page)", 30, 200, () -> {
      send(http, "POST", base + "api/step" + q + "&dir=back");
      send(http, "GET", base + "api/state" + q);
      send(http, "GET", base + "api/drawing" + q + "&pid=current");
    });
    report("  of which POST /api/step", 5, 50,
        () -> send(http, "POST", base + "api/step" + q + "&dir=back"));
    report("  of which GET /api/state (after no step)", 5, 50,
        () -> send(http, "GET", base + "api/state" + q));
    report("  of which GET /api/drawing (after no step)", 5, 50,
        () -> send(http, "GET", base + "api/drawing" + q + "&pid=current"));
    report("HTTP drawing of every stack", 10, 50,
        () -> send(http, "GET", base + "api/drawing" + q + "&pid=all"));
    Random r = new Random(7);
    report("seek to a random earlier step (scrub back)", 5, 100, () -> {
      long now = tab.step();
      tab.seek(Math.max(0, now - 1 - r.nextInt(5000)));
    });
    long end = tab.history().frontier();
    long first = tab.history().floor();
    report("seek to a random step of the whole run (scrub either way)", 5, 100,
        () -> tab.seek(first + (long) (r.nextDouble() * (end - first))));
    pageLoad(base);
    server.stop();
    System.exit(0);
  }

  private static Tab findTab(WebServer server, String id) {
    return server.sessions().get(id);
  }

  interface Body {
    void run() throws Exception;
  }

  private static void report(String what, int warm, int n, Body b) throws Exception {
    for (int i = 0; i < warm; i++) {
      b.run();
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      b.run();
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    System.out.printf("%-48s n=%d  min %.2f  p50 %.2f  p95 %.2f  max %.2f ms%n", what, n,
        t[0] / 1e6, t[n / 2] / 1e6, t[(int) (n * 0.95)] / 1e6, t[n - 1] / 1e6);
  }

  private static String send(HttpClient http, String method, String url) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** Navigation to the page's first drawing in headless Chromium, five loads after one warm-up. */
  private static void pageLoad(String url) throws Exception {
    if (!new File("/usr/bin/chromedriver").canExecute()) {
      System.out.println("page load: no chromedriver here");
      return;
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createTempDirectory("kstack-bench"));
    ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), o);
    try {
      long[] t = new long[6];
      for (int i = 0; i < t.length; i++) {
        d.get("about:blank");
        long s = System.nanoTime();
        d.get(url + "#a=x86_64:6.x&scenario=syscall");
        while (!"true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready"))) {
          Thread.sleep(5);
        }
        t[i] = System.nanoTime() - s;
      }
      long[] m = Arrays.copyOfRange(t, 1, t.length);
      Arrays.sort(m);
      System.out.printf("page load to first drawing (syscall scenario, new session each): min %.0f"
          + "  median %.0f ms%n", m[0] / 1e6, m[m.length / 2] / 1e6);
    } finally {
      d.quit();
    }
  }
}
