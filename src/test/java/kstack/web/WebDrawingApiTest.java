package kstack.web;

import static kstack.web.WebServerTest.get;
import static kstack.web.WebServerTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kstack.catalog.Profiles;
import kstack.web.WebServerTest.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drawing of a selection (GET /api/drawing): the selected CPU's current task, a picked pid, or
 * every stack; a picked pid with no task at the step shown draws the current task with a note
 * saying so, never an error, and is drawn again once the machine is back where it lives. Clients
 * that hang up while the largest drawing is written disturb no other. A page releases its
 * sessions (POST /api/release) when it leaves them.
 */
class WebDrawingApiTest {
  @BeforeAll
  static void start() throws IOException {
    WebServerTest.server = TestServers.start(Profiles.x86_64_6_19(),
        List.of("boot", "spawn sh", "break vfs_write", "syscall write(1, \"x\")"));
  }

  @AfterAll
  static void stop() {
    WebServerTest.server.stop();
  }

  /** A field of a JSON answer, as JSON text (a string quoted, null as null). */
  private static String field(String json, String name) {
    try {
      return new ObjectMapper().readTree(json).get(name).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String drawing(String id, String pid) throws IOException {
    Answer a = get("/api/drawing?session=" + id + "&pid=" + pid);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.body();
  }

  @Test
  void aPickedPidMissingAtTheStepShownDrawsTheCurrentTaskWithANoteAndReturnsWithItsTask()
      throws IOException {
    String id = WebServerTest.newSession();
    String current = drawing(id, "current");
    assertThat(field(current, "pid")).isEqualTo("3");
    assertThat(field(current, "what")).isEqualTo("\"pid 3 (sh), cpu0's current task\"");
    assertThat(field(current, "note")).isEqualTo("\"\"");
    assertThat(field(current, "svg")).contains("col-task-3").doesNotContain("col-task-1");
    String end = field(current, "step");

    assertThat(post("/api/seek?session=" + id + "&step=0", "").status()).isEqualTo(200);
    String missing = drawing(id, "3");
    assertThat(field(missing, "pid")).isEqualTo("0");
    assertThat(field(missing, "note")).isEqualTo("\"no task with pid 3 at step 0: drawing pid 0 "
        + "(swapper), cpu0's current task\"");
    assertThat(field(missing, "svg")).contains("col-task-0");
    String all = drawing(id, "all");
    assertThat(field(all, "pid")).isEqualTo("null");
    assertThat(field(all, "what")).isEqualTo("\"every stack\"");

    assertThat(post("/api/seek?session=" + id + "&step=" + end, "").status()).isEqualTo(200);
    String back = drawing(id, "3");
    assertThat(field(back, "pid")).isEqualTo("3");
    assertThat(field(back, "what")).isEqualTo("\"pid 3 (sh)\"");
    assertThat(field(back, "note")).isEqualTo("\"\"");
    assertThat(field(drawing(id, "all"), "svg")).contains("col-task-1").contains("col-task-3");
  }

  @Test
  void malformedSelectionsAre400AndTheComparisonTakesTheSameSelection() throws IOException {
    String id = WebServerTest.newSession();
    for (String bad : List.of("abc", "-1", "3x", "99999999999", "%20current")) {
      Answer a = get("/api/drawing?session=" + id + "&pid=" + bad);
      assertThat(a.status()).as(bad).isEqualTo(400);
      assertThat(a.body()).as(bad).contains("parameter 'pid' must be a pid, current or all");
    }
    assertThat(get("/api/drawing?pid=3").body()).contains("parameter 'session' is missing");
    assertThat(post("/api/drawing?session=" + id, "").status()).isEqualTo(405);
    String other = WebServerTest.newSession();
    Answer c = get("/api/compare?a=" + id + "&b=" + other + "&pid=current");
    assertThat(c.status()).isEqualTo(200);
    assertThat(get("/api/compare?a=" + id + "&b=" + other + "&pid=nobody").status())
        .isEqualTo(400);
  }

  @Test
  void clientsThatHangUpMidAnswerOfTheLargestDrawingLeaveTheOthersServed() throws IOException {
    String id = WebServerTest.newSession();
    for (int i = 0; i < 6; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(),
          WebServerTest.server.port())) {
        s.getOutputStream().write(("GET /api/drawing?session=" + id + "&pid=all HTTP/1.1\r\n"
            + "Host: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(s.getInputStream().readNBytes(64)).hasSize(64);
      }
    }
    assertThat(post("/api/step?session=" + id + "&dir=back", "").status()).isEqualTo(200);
    assertThat(field(drawing(id, "all"), "svg")).contains("col-task-1");
  }

  @Test
  void aReleasedSessionIsGoneAtOnceAndReleasingItAgainSaysSo() throws IOException {
    String id = WebServerTest.newSession();
    int before = WebServerTest.server.sessions().size();
    assertThat(post("/api/release?session=" + id, "").body()).isEqualTo("{\"released\":true}");
    assertThat(WebServerTest.server.sessions().size()).isEqualTo(before - 1);
    assertThat(get("/api/state?session=" + id).status()).isEqualTo(404);
    assertThat(post("/api/release?session=" + id, "").body()).isEqualTo("{\"released\":false}");
    assertThat(get("/api/release?session=" + id).status()).isEqualTo(405);
    assertThat(post("/api/release", "").body()).contains("parameter 'session' is missing");
  }
}
