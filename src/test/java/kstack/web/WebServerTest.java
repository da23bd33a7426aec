package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web server's answers to good and bad requests, sent as raw HTTP so that nothing normalizes
 * them first: only the page's three files are served (path traversal in every spelling is a 404),
 * bodies and queries beyond their limits, malformed parameters, unknown sessions and wrong methods
 * get a 4xx with a message; a client that hangs up mid-request leaves the others served; each
 * session keeps its own machine.
 */
class WebServerTest {
  static WebServer server;

  /** Status code and body of an answer. */
  record Answer(int status, String body) {}

  @BeforeAll
  static void start() throws IOException {
    server = TestServers.start(Profiles.x86_64_6_19(), List.of("boot", "spawn sh"));
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static Answer raw(String request) throws IOException {
    return raw(request.getBytes(StandardCharsets.UTF_8));
  }

  static Answer raw(byte[] request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(60_000);
      OutputStream o = s.getOutputStream();
      o.write(request);
      o.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      String all = b.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(all.substring(9, 12));
      int split = all.indexOf("\r\n\r\n");
      return new Answer(status, split < 0 ? "" : all.substring(split + 4));
    }
  }

  static Answer get(String target) throws IOException {
    return raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  static Answer post(String target, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return raw(("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
  }

  static String newSession() throws IOException {
    Answer a = post("/api/session", "");
    assertThat(a.status()).isEqualTo(200);
    return a.body().replaceAll(".*\"session\":\"([0-9a-f]+)\".*", "$1");
  }

  @Test
  void thePageAndItsScriptAndStyleAreServedAndNothingElse() throws IOException {
    assertThat(get("/").status()).isEqualTo(200);
    assertThat(get("/").body()).contains("<script src=\"/app.js\">");
    assertThat(get("/app.js").status()).isEqualTo(200);
    assertThat(get("/app.css").status()).isEqualTo(200);
    for (String path : List.of("/index.html", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../../pom.xml", "/..%2f..%2fpom.xml", "/kstack/web/app.js",
        "/kstack/web/WebServer.class", "/%00", "//etc/passwd", "/app.js%00.html", "/api/../app.js")) {
      Answer a = get(path);
      assertThat(a.status()).as(path).isEqualTo(404);
      assertThat(a.body()).as(path).contains("\"error\"").doesNotContain("root:");
    }
  }

  @Test
  void theServerListensOnTheLoopbackAddressOnly() {
    assertThat(server.url()).startsWith("http://127.0.0.1:");
    assertThat(server.port()).isPositive();
  }

  @Test
  void oversizeBodiesAndQueriesAreRefusedWith413And414() throws IOException {
    String id = newSession();
    assertThat(post("/api/run?session=" + id, "p 1".repeat(30000)).status()).isEqualTo(413);
    Answer lying = raw(("POST /api/run?session=" + id + " HTTP/1.1\r\nHost: x\r\nConnection: "
        + "close\r\nContent-Length: 999999999\r\n\r\nbt").getBytes(StandardCharsets.UTF_8));
    assertThat(lying.status()).isEqualTo(413);
    assertThat(lying.body()).contains("larger than 65536 bytes");
    assertThat(get("/api/svg?session=" + id + "&x=" + "a".repeat(5000)).status()).isEqualTo(414);
  }

  @Test
  void malformedParametersMissingOrUnknownSessionsAndWrongMethodsAre4xxWithAMessage()
      throws IOException {
    String id = newSession();
    assertThat(get("/api/svg?session=" + id + "&pid=abc")).extracting(Answer::status)
        .isEqualTo(400);
    assertThat(get("/api/svg?session=" + id + "&pid=-1").status()).isEqualTo(400);
    assertThat(get("/api/svg?session=" + id + "&pid=99999").body()).contains("no task with pid");
    assertThat(get("/api/svg?session=" + id + "&session=" + id).body()).contains("given twice");
    assertThat(get("/api/svg?session=%zz").status()).isEqualTo(400);
    assertThat(get("/api/svg").body()).contains("parameter 'session' is missing");
    Answer unknown = get("/api/svg?session=feedface");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("no session feedface");
    assertThat(get("/api/run?session=" + id).status()).isEqualTo(405);
    assertThat(post("/", "").status()).isEqualTo(405);
    assertThat(get("/api/nothing").status()).isEqualTo(404);
    assertThat(post("/api/run?session=" + id, "bt\nps").status()).isEqualTo(400);
    assertThat(post("/api/run?session=" + id, "export svg /tmp/x.svg").body())
        .contains("export writes a file on the server");
    byte[] notUtf8 = ("POST /api/run?session=" + id + " HTTP/1.1\r\nHost: x\r\nConnection: close"
        + "\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] req = java.util.Arrays.copyOf(notUtf8, notUtf8.length + 2);
    req[req.length - 2] = (byte) 0xc3;
    req[req.length - 1] = (byte) 0x28;
    assertThat(raw(req).body()).contains("not UTF-8");
  }

  @Test
  void aCommandsErrorIsItsLocatedMessageAndTheSessionGoesOn() throws IOException {
    String id = newSession();
    Answer bad = post("/api/run?session=" + id, "frobnicate");
    assertThat(bad.status()).isEqualTo(200);
    assertThat(bad.body()).contains("\"ok\":false").contains("\\u003cweb\\u003e:1:1: unknown command");
    assertThat(post("/api/run?session=" + id, "bt").body()).contains("Backtrace of pid 3 (sh)");
  }

  @Test
  void aClientThatHangsUpMidRequestLeavesTheOthersServed() throws IOException {
    String id = newSession();
    for (int i = 0; i < 6; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        s.getOutputStream().write(("POST /api/run?session=" + id + " HTTP/1.1\r\nHost: x\r\n"
            + "Content-Length: 500\r\n\r\nstep").getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(post("/api/run?session=" + id, "bt").body()).contains("Backtrace of pid 3 (sh)");
    assertThat(get("/api/svg?session=" + id).status()).isEqualTo(200);
  }

  @Test
  void eachSessionKeepsItsOwnMachine() throws IOException {
    String a = newSession();
    String b = newSession();
    String stepA = post("/api/run?session=" + a, "syscall getpid()").body();
    String stepB = post("/api/run?session=" + b, "p 1").body();
    String againA = post("/api/run?session=" + a, "p 1").body();
    long sa = Long.parseLong(stepA.replaceAll(".*\"step\":(\\d+).*", "$1"));
    long sb = Long.parseLong(stepB.replaceAll(".*\"step\":(\\d+).*", "$1"));
    assertThat(stepA).contains("\"ok\":true");
    assertThat(sa).isGreaterThan(sb);
    assertThat(againA).contains("\"step\":" + sa);
  }
}
