package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import kstack.catalog.Profiles;
import kstack.lang.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tours' API: the list in both languages, a stop reached on the tour's own machine as a new
 * session the page can draw and run commands in (with the element it points at in that drawing),
 * tours.js served, and bad tour requests refused with a 4xx and a message.
 */
class TourApiTest {
  private static WebServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    server = TestServers.start(Profiles.x86_64_6_19(), List.of("boot"));
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    return json.replaceFirst("(?s).*?\"" + name + "\":\"([^\"]*)\".*", "$1");
  }

  @Test
  void theListNamesEveryTourWithItsTitleInTheLanguageAsked() throws Exception {
    var en = send("GET", "/api/tours");
    assertThat(en.statusCode()).isEqualTo(200);
    assertThat(en.body()).contains("{\"name\":\"boot\",\"title\":\"Boot from init_stack\"")
        .contains("\"name\":\"overflow\"");
    assertThat(send("GET", "/api/tours?lang=zh").body()).contains("从 init_stack 启动");
  }

  @Test
  void aStopRunsOnTheToursMachineAndItsSessionDrawsTheElementItPointsAt() throws Exception {
    var r = send("GET", "/api/tour?name=stack-layouts&stop=2&lang=zh");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"profile\":\"i386 2.6.11 (2.6.11)\"").contains("\"stop\":2")
        .contains("\"stops\":4").contains("2.6 把 task_struct 移出了栈")
        .contains("{\"command\":\"p current_thread_info()-\\u003etask == current\",\"lines\":[\"$1 = 1\"]}");
    String session = field(r.body(), "session");
    String id = field(r.body().substring(r.body().indexOf("\"look\"")), "id");
    String pid = r.body().replaceFirst("(?s).*\"pid\":(\\d+).*", "$1");
    var svg = send("GET", "/api/svg?session=" + session + "&pid=" + pid);
    assertThat(svg.statusCode()).isEqualTo(200);
    assertThat(svg.body()).contains("id=\"" + id + "\" class=\"region region-thread_info\"");
    var run = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/run?session="
        + session)).POST(HttpRequest.BodyPublishers.ofString("p sizeof(struct thread_info)"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(run.body()).contains("\"lines\":[\"$3 = 52\"]");
  }

  @Test
  void theToursScriptIsServedAndTheTourSectionIsOnThePage() throws Exception {
    var js = send("GET", "/tours.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(js.body()).contains("/api/tour?name=");
    assertThat(send("GET", "/").body()).contains("<section id=\"tour\"").contains("tours.js");
  }

  @Test
  void badTourRequestsAreRefusedWithAStatusAndAMessage() throws Exception {
    var r = send("GET", "/api/tour");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("parameter 'name' is missing");
    r = send("GET", "/api/tour?name=nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no tour 'nope'");
    r = send("GET", "/api/tour?name=boot&stop=99");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("has stops 1 to 5, not 99");
    r = send("GET", "/api/tour?name=boot&stop=0");
    assertThat(r.statusCode()).isEqualTo(404);
    r = send("GET", "/api/tour?name=boot&stop=x");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("parameter 'stop' must be a number");
    r = send("GET", "/api/tours?lang=fr");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("no language 'fr'");
    r = send("POST", "/api/tour?name=boot");
    assertThat(r.statusCode()).isEqualTo(405);
  }
}
