package kstack.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import kstack.catalog.Profiles;
import kstack.view.SvgPicture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * Every built-in tour runs green on each profile it is written for: each stop's commands succeed,
 * what it points at is a region (or stack, or mark) of the drawing, and that element is in the
 * SVG the page shows; every stop has its text in every language. Tour files are checked as read.
 */
class TourTest {
  static List<Arguments> tourProfiles() {
    List<Arguments> out = new ArrayList<>();
    for (Tour t : Tours.all()) {
      if (t.comparesProfiles()) {
        out.add(Arguments.of(t.name(), null));
      } else {
        t.profiles().forEach(p -> out.add(Arguments.of(t.name(), p)));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("tourProfiles")
  void everyStopRunsAndPointsAtAnElementOfTheDrawing(String name, String profile)
      throws Exception {
    Tour t = Tours.load(name);
    List<Guide.Visit> visits = new ArrayList<>();
    new Guide(t, profile == null ? null : Guide.named(profile), 1).walk(visits::add);
    assertThat(visits).hasSameSizeAs(t.stops());
    for (Guide.Visit v : visits) {
      Sights.Sight s = v.sight();
      assertThat(s).as("stop %d", v.index() + 1).isNotNull();
      Document svg = parse(SvgPicture.render(v.picture()));
      assertThat(hasId(svg, s.elementId())).as("stop %d: element %s (%s) in the SVG",
          v.index() + 1, s.elementId(), s.look()).isTrue();
      assertThat(Excerpt.of(v)).as("stop %d's excerpt", v.index() + 1).hasSizeGreaterThan(1)
          .anyMatch(l -> l.startsWith("=> "));
    }
  }

  @Test
  void everyTourHasATitleAndEveryStopATextInEnglishAndChinese() {
    assertThat(Tours.all()).hasSize(9);
    for (Tour t : Tours.all()) {
      for (String lang : Tour.LANGUAGES) {
        assertThat(t.title(lang)).as("%s title %s", t.name(), lang).isNotBlank();
        for (Tour.Stop s : t.stops()) {
          assertThat(s.texts().get(lang)).as("%s:%d %s", t.name(), s.line(), lang).isNotBlank();
        }
      }
      for (Tour.Stop s : t.stops()) {
        assertThat(s.texts().get("zh")).as("%s:%d is Chinese", t.name(), s.line())
            .containsPattern("\\p{IsHan}");
      }
    }
  }

  @Test
  void visitingAStopReplaysTheStopsBeforeItToTheSameState() {
    Tour t = Tours.load("switch");
    List<Guide.Visit> walked = new ArrayList<>();
    Guide g = new Guide(t, null, 1);
    g.walk(walked::add);
    for (int k : new int[] {0, 2, 3}) {
      Guide.Visit v = g.visit(k);
      assertThat(v.sight()).isEqualTo(walked.get(k).sight());
      assertThat(v.ran()).isEqualTo(walked.get(k).ran());
    }
    assertThatThrownBy(() -> g.visit(9)).isInstanceOf(TourError.class)
        .hasMessageContaining("has stops 1 to 4, not 10");
  }

  @Test
  void aStopOfAComparingTourStartsItsOwnMachine() {
    Guide.Visit v = new Guide(Tours.load("stack-layouts"), null, 1).visit(1);
    assertThat(v.profile()).startsWith("i386 2.6.11");
    assertThat(v.sight().label()).isEqualTo("thread_info");
  }

  @Test
  void aTourThatPicksItsMachinesRefusesAnotherProfile() {
    assertThatThrownBy(() -> new Guide(Tours.load("irq-stacks"), Profiles.x86_64_4_16(), 1))
        .isInstanceOf(TourError.class).hasMessageContaining("picks a machine per stop");
  }

  @Test
  void aStopWhoseCommandFailsNamesTheTourStopAndLine() {
    assertThatThrownBy(() -> new Guide(Tours.load("syscall"), Profiles.arm64_6_19(), 1)
        .walk(v -> { })).isInstanceOf(TourError.class)
        .hasMessageContaining("tour syscall, stop 2 on arm64")
        .hasMessageContaining("tours/syscall.tour:");
  }

  @Test
  void aLookThatIsNotInTheDrawingIsAnError() {
    Tour t = TourFile.parse("t", "title: T\ntitle.zh: 题\nprofiles: x86_64 6.x\nstop\n"
        + "run: boot\nlook: no such region\nen: e\nzh: 中\n");
    assertThatThrownBy(() -> new Guide(t, null, 1).walk(v -> { }))
        .isInstanceOf(TourError.class)
        .hasMessageContaining("tour t, stop 1 (tours/t.tour:4)")
        .hasMessageContaining("'look: no such region' is in no region of pid 0's drawing");
  }

  @Test
  void aLookCanBeKeptToOneStackWithAt() {
    Tour t = TourFile.parse("t", "title: T\ntitle.zh: 题\nprofiles: x86_64 6.x\nstop\n"
        + "run: boot\nrun: spawn sh\nlook: frame record @ user stack\nen: e\nzh: 中\n");
    List<Guide.Visit> v = new ArrayList<>();
    new Guide(t, null, 1).walk(v::add);
    assertThat(v.get(0).sight().stack()).contains("user stack");
    assertThat(v.get(0).sight().elementId()).startsWith("user-3");
  }

  @Test
  void malformedTourFilesAreRefusedWithTheirLine() {
    String head = "title: T\ntitle.zh: 题\nprofiles: x86_64 6.x\n";
    assertThatThrownBy(() -> TourFile.parse("t", head + "stop\nlook: x\nen: e\n"))
        .hasMessage("tours/t.tour:4: the stop has no text in 'zh'");
    assertThatThrownBy(() -> TourFile.parse("t", head + "stop\nen: e\nzh: z\n"))
        .hasMessageContaining("tours/t.tour:4: the stop has no 'look:'");
    assertThatThrownBy(() -> TourFile.parse("t", head + "stop\nfoo: 1\n"))
        .hasMessageContaining("tours/t.tour:5: unknown key 'foo' in a stop");
    assertThatThrownBy(() -> TourFile.parse("t", "title: T\ntitle.zh: 题\nprofiles: vax 1.0\n"))
        .hasMessageContaining("tours/t.tour:3: no profile 'vax 1.0'");
    assertThatThrownBy(() -> TourFile.parse("t", "title: T\nprofiles: x86_64 6.x\n"))
        .hasMessageContaining("no title in 'zh'");
    assertThatThrownBy(() -> TourFile.parse("t", head))
        .hasMessageContaining("no stops");
    assertThatThrownBy(() -> TourFile.parse("t", head + "stop\npid: x\n"))
        .hasMessageContaining("tours/t.tour:5: pid takes a number, not 'x'");
    assertThatThrownBy(() -> TourFile.parse("t", head + "bogus line\n"))
        .hasMessageContaining("tours/t.tour:4: expected 'stop' or 'KEY: VALUE'");
    assertThatThrownBy(() -> Tours.load("nope")).isInstanceOf(TourError.class)
        .hasMessageContaining("no tour 'nope' (tours: boot, first-tasks");
    assertThatThrownBy(() -> Tours.language("fr")).isInstanceOf(TourError.class)
        .hasMessageContaining("no language 'fr' (tours are written in en, zh)");
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(
        StandardCharsets.UTF_8)));
  }

  private static boolean hasId(Document d, String id) {
    var all = d.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      if (((org.w3c.dom.Element) all.item(i)).getAttribute("id").equals(id)) {
        return true;
      }
    }
    return false;
  }
}
