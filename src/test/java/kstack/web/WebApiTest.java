package kstack.web;

import static kstack.web.WebServerTest.get;
import static kstack.web.WebServerTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The time-travel, state, stream and comparison API: steps and seeks move the session's machine
 * and say where it is; jumps find the events of their kind; the state gives the panes; malformed
 * parameters are 4xx with a message; an event stream gets a state event for each change, and one
 * whose client hangs up does not disturb the others.
 */
class WebApiTest {
  @BeforeAll
  static void start() throws IOException {
    WebServerTest.server = TestServers.start(Profiles.x86_64_6_19(),
        List.of("boot", "spawn sh", "syscall getpid()", "break vfs_write",
            "syscall write(1, \"x\")"));
  }

  @AfterAll
  static void stop() {
    WebServerTest.server.stop();
  }

  private static long step(String json) {
    return Long.parseLong(json.replaceAll("(?s)^.*?\"step\":(\\d+).*", "$1"));
  }

  @Test
  void stepsSeeksAndJumpsMoveTheMachineAndTheStateFollows() throws IOException {
    String id = WebServerTest.newSession();
    String state = get("/api/state?session=" + id).body();
    long end = step(state);
    assertThat(state).contains("\"frontier\":" + end).contains("\"registers\"")
        .contains("\"per_cpu\"").contains("\"next\"").contains("\"events\"");
    assertThat(step(post("/api/step?session=" + id + "&dir=back", "").body())).isEqualTo(end - 1);
    assertThat(get("/api/state?session=" + id).body()).contains("\"frontier\":" + end)
        .contains("\"changed\":{\"registers\":[\"0:");
    assertThat(step(post("/api/seek?session=" + id + "&step=100", "").body())).isEqualTo(100);
    long sys = step(post("/api/jump?session=" + id + "&kind=syscall&dir=forward", "").body());
    assertThat(sys).isGreaterThan(100);
    assertThat(get("/api/state?session=" + id).body()).contains("\"kind\":\"syscall\"");
    assertThat(step(post("/api/step?session=" + id + "&dir=forward", "").body()))
        .isEqualTo(sys + 1);
    assertThat(step(post("/api/seek?session=" + id + "&step=999999999", "").body()))
        .isEqualTo(end);
    assertThat(step(post("/api/step?session=" + id + "&dir=forward", "").body()))
        .isEqualTo(end + 1);
  }

  @Test
  void malformedTimeParametersAre400AndAMissingEvent404() throws IOException {
    String id = WebServerTest.newSession();
    assertThat(post("/api/seek?session=" + id + "&step=-3", "").status()).isEqualTo(400);
    assertThat(post("/api/seek?session=" + id + "&step=1e9", "").status()).isEqualTo(400);
    assertThat(post("/api/seek?session=" + id, "").body()).contains("'step' is missing");
    assertThat(post("/api/seek?session=" + id + "&step=" + "9".repeat(30), "").status())
        .isEqualTo(400);
    assertThat(post("/api/step?session=" + id + "&dir=sideways", "").body())
        .contains("'dir' must be forward or back");
    assertThat(post("/api/jump?session=" + id + "&kind=../../x&dir=next", "").status())
        .isEqualTo(400);
    assertThat(post("/api/seek?session=" + id + "&step=0", "").status()).isEqualTo(200);
    WebServerTest.Answer none = post("/api/jump?session=" + id + "&kind=switch&dir=back", "");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.body()).contains("no earlier context switch");
    assertThat(get("/api/step?session=" + id + "&dir=back").status()).isEqualTo(405);
    assertThat(get("/api/compare?a=" + id + "&b=feedface").status()).isEqualTo(404);
    post("/api/seek?session=" + id + "&step=999999999", "");
    assertThat(post("/api/run?session=" + id, "continue").body()).contains("\"ok\":true");
    WebServerTest.Answer waiting = post("/api/step?session=" + id + "&dir=forward", "");
    assertThat(waiting.status()).as(waiting.body()).isEqualTo(409);
    assertThat(waiting.body()).contains("waits for a command");
  }

  @Test
  void aSessionOnAnotherProfileOrScenarioIsMadeAndBadNamesAreRefused() throws IOException {
    WebServerTest.Answer a = post("/api/session?arch=i386&kernel=2.4&scenario=syscall", "");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("\"profile\":\"i386 2.4 (2.4.22)\"");
    assertThat(post("/api/session?arch=i386&kernel=9.9", "").body()).contains("no profile");
    assertThat(post("/api/session?arch=i386", "").body()).contains("go together");
    for (String bad : List.of("..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "nosuch", "a.ks")) {
      WebServerTest.Answer r = post("/api/session?scenario=" + bad, "");
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).doesNotContain("root:");
    }
  }

  @Test
  void theSideBySideComparisonTiesTheDrawnDifferencesToTheirFeatures() throws IOException {
    String a = post("/api/session?arch=i386&kernel=2.4&scenario=syscall", "").body()
        .replaceAll(".*\"session\":\"([0-9a-f]+)\".*", "$1");
    String b = post("/api/session?arch=i386&kernel=2.6&scenario=syscall", "").body()
        .replaceAll(".*\"session\":\"([0-9a-f]+)\".*", "$1");
    String c = get("/api/compare?a=" + a + "&b=" + b + "&pid=3").body();
    assertThat(c).contains("\"what\":\"THREAD_INFO_AT_BASE\"").contains("\"what\":\"TASK_UNION\"");
    assertThat(c).contains("\"kind\":\"task_struct\"").contains("\"kind\":\"thread_info\"")
        .contains("\"because\":\"struct thread_info: TASK_UNION")
        .contains("\"because\":\"struct task_struct: TASK_UNION");
  }

  /** Reads from a stream until text has come (or the stream ends); returns what was read. */
  private static String readUntil(InputStream in, String text) throws IOException {
    StringBuilder b = new StringBuilder();
    byte[] buf = new byte[4096];
    int n;
    while (!b.toString().contains(text) && (n = in.read(buf)) > 0) {
      b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private static Socket stream(String id) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), WebServerTest.server.port());
    s.setSoTimeout(60_000);
    s.getOutputStream().write(("GET /api/stream?session=" + id + " HTTP/1.1\r\nHost: x\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(readUntil(s.getInputStream(), "retry:")).contains("text/event-stream");
    return s;
  }

  @Test
  void aStreamGetsAStateEventPerChangeAndAClientGoneMidStreamDisturbsNoOther()
      throws IOException {
    String id = WebServerTest.newSession();
    Socket gone = stream(id);
    try (Socket kept = stream(id)) {
      gone.close();
      assertThat(post("/api/step?session=" + id + "&dir=back", "").status()).isEqualTo(200);
      assertThat(readUntil(kept.getInputStream(), "event: state")).contains("event: state");
      assertThat(post("/api/run?session=" + id, "bt").status()).isEqualTo(200);
      assertThat(get("/api/state?session=" + id).status()).isEqualTo(200);
    }
    assertThat(get("/api/stream?session=feedface").status()).isEqualTo(404);
  }
}
