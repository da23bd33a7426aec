package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.profile.Profile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The picture of every stack, as export svg writes it, opened in real headless Chromium with the
 * fonts the browser picks: no two texts' boxes (getBBox) overlap, and none crosses the edge of a
 * rectangle (a region, a stack's outline, a CPU or task_struct box). kstack.view's own layout test
 * checks the same with a font's nominal metrics on every profile; this one measures.
 */
class PictureBrowserTest {
  /** The overlaps and crossed edges the browser measures, each as one line of text. */
  private static final String CHECK = """
      const svg = document.documentElement;
      const texts = [...svg.querySelectorAll('text')].map(t => [t, t.getBBox()]);
      const rects = [...svg.querySelectorAll('rect')].map(r => [r, r.getBBox()]);
      const over = (a, b) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5
          && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
      const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5
          && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
      const name = e => e.textContent || (e.parentNode.id || e.getAttribute('class'));
      const wrong = [];
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          if (over(texts[i][1], texts[j][1])) {
            wrong.push(name(texts[i][0]) + ' overlaps ' + name(texts[j][0]));
          }
        }
        for (const [r, b] of rects) {
          if (over(texts[i][1], b) && !inside(texts[i][1], b)) {
            wrong.push(name(texts[i][0]) + ' crosses the edge of ' + name(r));
          }
        }
      }
      return wrong;
      """;

  @TempDir
  Path dir;

  private WebDriver driver;

  @BeforeEach
  void open() {
    driver = HeadlessChromium.start(dir.resolve("profile"));
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.quit();
    }
  }

  static List<Profile> profiles() {
    return List.of(Profiles.x86_64_6_19(), Profiles.find("i386", "2.4").orElseThrow(),
        Profiles.find("arm64", "6.19").orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  @SuppressWarnings("unchecked")
  void noTextOfThePictureOfEveryStackOverlapsAnotherOrABoxEdgeAsChromiumLaysItOut(Profile p)
      throws Exception {
    Session s = new Session(TestMachines.spawned(p));
    s.execute(Source.commandLine(1, "break " + TestMachines.insideWrite(p)));
    s.execute(Source.commandLine(2, "syscall write(1, \"x\")"));
    Path svg = dir.resolve("every-stack.svg");
    s.execute(Source.commandLine(3, "export svg " + svg));
    assertThat(Files.size(svg)).isPositive();
    driver.get(svg.toUri().toString());
    List<String> wrong = (List<String>) ((JavascriptExecutor) driver).executeScript(CHECK);
    assertThat(wrong).as(p.label()).isEmpty();
  }
}
