package kstack.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kstack.TestMachines;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.profile.Profile;
import kstack.stack.StackRange;
import kstack.stack.TaskStack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The SVG pictures are readable on every profile: no two pieces of text overlap, no text crosses
 * the edge of a box (a region, a stack's outline, a CPU or task_struct box), everything lies in
 * the viewBox, and the picture of every stack has a size a browser window can fit; the guard page
 * below a vmalloc'd task stack is drawn exactly where the generation has one.
 */
class PictureLayoutTest {
  /** Where VMAP_STACK puts the task stacks in vmalloc space: x86_64 and arm64 from 4.16 on. */
  private static final Set<String> VMAP_STACK = Set.of("x86_64 4.16", "x86_64 6.x", "arm64 4.16",
      "arm64 6.x");
  /** DejaVu Sans Mono's advance, the monospace font a Linux browser uses, in ems. */
  private static final double ADVANCE = 0.602;

  static List<Profile> profiles() {
    return DrawingsTest.profiles();
  }

  private static Session inWrite(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    s.execute(Source.commandLine(1, "break " + TestMachines.insideWrite(p)));
    s.execute(Source.commandLine(2, "syscall write(1, \"x\")"));
    return s;
  }

  private static String svg(Session s, Integer pid) {
    var snap = s.machine().inspector().snapshot();
    return SvgPicture.render(Pictures.of(snap, pid, "kstack " + s.machine().profile().label()));
  }

  /** A text's box: x, y (top), width, height, and what it says. */
  private record Bounds(double x, double y, double w, double h, String what) {
    boolean overlaps(Bounds o) {
      return x < o.x + o.w - 0.5 && o.x < x + w - 0.5 && y < o.y + o.h - 0.5 && o.y < y + h - 0.5;
    }

    boolean inside(Bounds o) {
      return x >= o.x - 0.5 && y >= o.y - 0.5 && x + w <= o.x + o.w + 0.5
          && y + h <= o.y + o.h + 0.5;
    }
  }

  private static double num(Element e, String attr) {
    return Double.parseDouble(e.getAttribute(attr));
  }

  /** Each line of text drawn (a text, or each of its tspans), as the browser lays it out. */
  private static List<Bounds> texts(SvgDoc d) {
    List<Bounds> out = new ArrayList<>();
    NodeList all = d.doc.getElementsByTagName("text");
    for (int i = 0; i < all.getLength(); i++) {
      Element t = (Element) all.item(i);
      String cls = t.getAttribute("class");
      double font = cls.equals("title") ? 14 : cls.equals("field") ? 9 : 10;
      NodeList spans = t.getElementsByTagName("tspan");
      List<Element> lines = new ArrayList<>();
      for (int k = 0; k < spans.getLength(); k++) {
        lines.add((Element) spans.item(k));
      }
      if (lines.isEmpty()) {
        lines.add(t);
      }
      for (Element l : lines) {
        double w = l.getTextContent().length() * ADVANCE * font;
        double x = num(l, "x") - ("end".equals(t.getAttribute("text-anchor")) ? w : 0);
        out.add(new Bounds(x, num(l, "y") - 0.8 * font, w, font, cls + " '"
            + l.getTextContent() + "'"));
      }
    }
    return out;
  }

  private static List<Bounds> rects(SvgDoc d) {
    List<Bounds> out = new ArrayList<>();
    NodeList all = d.doc.getElementsByTagName("rect");
    for (int i = 0; i < all.getLength(); i++) {
      Element r = (Element) all.item(i);
      Element g = (Element) r.getParentNode();
      out.add(new Bounds(num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height"),
          "rect of " + (g.hasAttribute("id") ? g.getAttribute("id") : r.getAttribute("class"))));
    }
    return out;
  }

  private static void assertReadable(String svg, String what) throws Exception {
    SvgDoc d = new SvgDoc(svg);
    List<Bounds> texts = texts(d);
    List<Bounds> rects = rects(d);
    Element root = d.doc.getDocumentElement();
    Bounds page = new Bounds(0, 0, num(root, "width"), num(root, "height"), "page");
    assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 " + root.getAttribute("width") + " "
        + root.getAttribute("height"));
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Bounds t = texts.get(i);
      if (!t.inside(page)) {
        wrong.add(t.what() + " outside the picture");
      }
      for (int j = i + 1; j < texts.size(); j++) {
        if (t.overlaps(texts.get(j))) {
          wrong.add(t.what() + " overlaps " + texts.get(j).what());
        }
      }
      for (Bounds r : rects) {
        if (t.overlaps(r) && !t.inside(r)) {
          wrong.add(t.what() + " crosses the edge of the " + r.what());
        }
      }
    }
    for (Bounds r : rects) {
      if (!r.inside(page)) {
        wrong.add(r.what() + " outside the picture");
      }
    }
    assertThat(wrong).as(what).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void noLabelOverlapsAnotherOrCrossesABoxEdgeInThePictureOfEveryStackOrOfOneTask(Profile p)
      throws Exception {
    Session s = inWrite(p);
    assertReadable(svg(s, null), p.label() + ", every stack");
    int pid = s.machine().inspector().taskStack(null, false).owner().pid();
    assertReadable(svg(s, pid), p.label() + ", pid " + pid);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void thePictureOfEveryStackFitsABrowserWindowsShape(Profile p) throws Exception {
    Element root = new SvgDoc(svg(inWrite(p), null)).doc.getDocumentElement();
    double w = num(root, "width");
    double h = num(root, "height");
    assertThat(w).as("width").isLessThanOrEqualTo(SvgPicture.MAX_WIDTH);
    assertThat(h).as("height").isLessThanOrEqualTo(4000);
    assertThat(w / h).as("width / height").isBetween(0.6, 3.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void theArrowsBetweenATaskAndItsStackAndTheCpusStackPointerStayBesideTheirStack(Profile p)
      throws Exception {
    Session s = inWrite(p);
    SvgDoc d = new SvgDoc(svg(s, null));
    List<String> checked = new ArrayList<>();
    NodeList arrows = d.doc.getElementsByTagName("g");
    for (int i = 0; i < arrows.getLength(); i++) {
      Element a = (Element) arrows.item(i);
      String from = a.getAttribute("data-from");
      String to = a.getAttribute("data-to");
      boolean own = from.startsWith("ts-") && to.equals("task-" + from.substring(3))
          || to.startsWith("ts-") && from.equals("task-" + to.substring(3))
          || a.getAttribute("id").equals("arrow-cpu0-" + s.machine().cpu(0).registers().name(
              s.machine().cpu(0).registers().sp));
      if (!a.getAttribute("class").equals("arrow") || !own) {
        continue;
      }
      String stack = to.startsWith("ts-") ? from : to;
      Element outline = SvgDoc.withClass(d.byId.get("col-" + stack), "stack-outline").get(0);
      double left = num(outline, "x");
      double right = left + num(outline, "width");
      double[] xs = xRange(((Element) a.getElementsByTagName("path").item(0)).getAttribute("d"));
      assertThat(xs[0]).as("%s's leftmost point", a.getAttribute("id")).isGreaterThan(left - 200);
      assertThat(xs[1]).as("%s's rightmost point", a.getAttribute("id")).isLessThan(right);
      checked.add(a.getAttribute("id"));
    }
    assertThat(checked).as(p.label()).anyMatch(id -> id.startsWith("arrow-cpu0-"));
  }

  /** The least and greatest x of a path made of M, H and V commands. */
  private static double[] xRange(String path) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    String[] parts = path.trim().split("\\s+|(?=[MHV])");
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].startsWith("M") || parts[i].startsWith("H")) {
        double x = Double.parseDouble(parts[i].substring(1));
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    return new double[] {lo, hi};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void aGuardPageIsDrawnBelowEachTaskStackExactlyWhereVmapStackLeavesTheNextPageUnmapped(
      Profile p) {
    Session s = inWrite(p);
    var snap = s.machine().inspector().snapshot();
    Picture pic = Pictures.of(snap, null, "t");
    String gen = p.arch() + " " + p.kernel();
    for (TaskStack t : snap.taskStacks()) {
      if (t.owner().pid() == 0) {
        continue; // init_task's stack is init_stack in the kernel image, not a vmalloc area
      }
      Picture.Column c = pic.columns().stream().filter(x -> x.id().equals("task-"
          + t.owner().pid())).findFirst().orElseThrow();
      List<Picture.Block> below = c.guards().stream().filter(g -> g.high() == c.low()).toList();
      if (VMAP_STACK.contains(gen)) {
        assertThat(below).as("pid %d of %s", t.owner().pid(), gen).singleElement()
            .satisfies(g -> assertThat(g.low()).isEqualTo(c.low() - 4096))
            .satisfies(g -> assertThat(g.label()).startsWith("guard page below kernel stack"));
        String x = String.format("x/1x 0x%x", c.low() - 4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute(Source.commandLine(9,
            x))).as("the page below pid %d's stack is not mapped", t.owner().pid())
            .hasMessageContaining("unmapped");
      } else {
        assertThat(below).as("pid %d of %s: no guard page below", t.owner().pid(), gen)
            .isEmpty();
      }
    }
    assertThat(snap.guards()).extracting(StackRange::name).noneMatch(n -> !VMAP_STACK.contains(gen)
        && n.startsWith("guard page below"));
  }
}
