package kstack.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskStack;
import kstack.stack.WordKind;
import kstack.view.Picture.Block;
import kstack.view.Picture.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * export svg and stack --draw on every profile (and 4KSTACKS): a well-formed SVG (the JDK's XML
 * parser) with every region, every word of pt_regs and the stack's addresses labelled as
 * {@code stack} prints them, the stack-pointer arrow at the CPU's sp; a text diagram to scale.
 */
class DrawingsTest {
  @TempDir
  Path dir;

  static List<Profile> profiles() {
    List<Profile> out = new ArrayList<>(Profiles.all());
    out.add(Profiles.find("i386", "2.6.11").orElseThrow().withConfig("4KSTACKS", true));
    return out;
  }

  /** sh stopped inside write(2), in the kernel with a full pt_regs on its stack. */
  private static Session inWrite(Profile p) {
    Session s = new Session(TestMachines.spawned(p));
    run(s, "break " + TestMachines.insideWrite(p));
    run(s, "syscall write(1, \"x\")");
    return s;
  }

  private static Result run(Session s, String command) {
    return s.execute(Source.commandLine(1, command));
  }

  private String export(Session s, String args) throws Exception {
    Path f = dir.resolve("out.svg");
    run(s, "export svg " + f + args);
    return Files.readString(f);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> stackWords(Session s) {
    return (List<Map<String, Object>>) run(s, "stack").json().get("words");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void exportSvgOfATaskIsWellFormedWithEveryRegionAndEveryPtRegsFieldLabelled(Profile p)
      throws Exception {
    Session s = inWrite(p);
    Machine m = s.machine();
    int pid = m.inspector().taskStack(null, false).owner().pid();
    SvgDoc svg = new SvgDoc(export(s, " " + pid));
    Picture pic = Pictures.of(m.inspector().snapshot(), pid, "t");
    Column task = pic.columns().get(0);
    assertThat(task.id()).isEqualTo("task-" + pid);
    for (Column c : pic.columns()) {
      assertThat(svg.byId).as("column %s", c.id()).containsKey("col-" + c.id());
      List<Block> blocks = new ArrayList<>(c.guards());
      blocks.addAll(c.blocks());
      for (Block b : blocks) {
        Element e = svg.byId.get(b.id());
        assertThat(e).as("block %s (%s)", b.id(), b.label()).isNotNull();
        assertThat(e.getAttribute("class")).isEqualTo("region region-" + b.kind());
        assertThat(SvgDoc.withClass(e, "region-label").get(0).getTextContent())
            .isEqualTo(b.label());
      }
    }
    List<Map<String, Object>> words = stackWords(s);
    Map<String, String> fieldText = svg.withClass("field").stream().collect(Collectors.toMap(
        e -> e.getAttribute("data-address"), Element::getTextContent, (a, b) -> a));
    List<String> ptRegs = new ArrayList<>();
    for (Map<String, Object> w : words) {
      if (w.get("kind").equals("pt_regs")) {
        ptRegs.add((String) w.get("label"));
        assertThat(fieldText.get((String) w.get("address"))).as("pt_regs word at %s",
            w.get("address")).isEqualTo(w.get("label"));
      }
    }
    assertThat(ptRegs).as("pt_regs on the stack").isNotEmpty();
    List<String> addresses = svg.withClass("addr").stream().map(Element::getTextContent).toList();
    for (Map<String, Object> w : words) {
      assertThat(addresses).as("stack's address %s", w.get("address"))
          .contains((String) w.get("address"));
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void exportSvgOfEveryStackHasEveryTaskAndPerCpuStackAndTheSpArrowAtTheCpusSp(Profile p)
      throws Exception {
    Session s = inWrite(p);
    Machine m = s.machine();
    SvgDoc svg = new SvgDoc(export(s, ""));
    var snap = m.inspector().snapshot();
    for (TaskStack t : snap.taskStacks()) {
      assertThat(svg.byId).as("pid %d's stack", t.owner().pid())
          .containsKey("col-task-" + t.owner().pid());
    }
    List<String> cpuColumns = svg.byId.keySet().stream().filter(id -> id.matches("col-cpu\\d+-.*"))
        .toList();
    assertThat(cpuColumns).hasSameSizeAs(snap.cpuStacks());
    String sp = m.cpu(0).registers().name(m.cpu(0).registers().sp);
    Element arrow = svg.byId.get("arrow-cpu0-" + sp);
    assertThat(arrow).as("the %s arrow", sp).isNotNull();
    assertThat(arrow.getAttribute("data-address"))
        .isEqualTo("0x" + Long.toHexString(TestMachines.eval(m, "$" + sp)));
    assertThat(arrow.getAttribute("data-to")).isEqualTo("task-" + snap.taskStacks().stream()
        .filter(t -> t.owner().cpu() == 0).findFirst().orElseThrow().owner().pid());
  }

  @ParameterizedTest
  @MethodSource("profiles")
  @SuppressWarnings("unchecked")
  void exportSvgOfEveryStackLabelsEveryRegionAndEveryWordOfEveryTaskAtTheAddressStackPrints(
      Profile p) throws Exception {
    Session s = inWrite(p);
    SvgDoc svg = new SvgDoc(export(s, ""));
    Picture pic = Pictures.of(s.machine().inspector().snapshot(), null, "t");
    for (Column c : pic.columns()) {
      List<Block> blocks = new ArrayList<>(c.guards());
      blocks.addAll(c.blocks());
      for (Block b : blocks) {
        assertThat(SvgDoc.withClass(svg.byId.get(b.id()), "region-label").get(0)
            .getTextContent()).as("label of %s", b.id()).isEqualTo(b.label());
      }
    }
    for (TaskStack t : s.machine().inspector().snapshot().taskStacks()) {
      if (t.stack() == null) {
        continue;
      }
      Element col = svg.byId.get("col-task-" + t.owner().pid());
      List<String> addresses = SvgDoc.withClass(col, "addr").stream()
          .map(Element::getTextContent).toList();
      Map<String, String> fields = SvgDoc.withClass(col, "field").stream().collect(
          Collectors.toMap(e -> e.getAttribute("data-address"), Element::getTextContent,
              (a, b) -> a));
      var words = (List<Map<String, Object>>) run(s, "stack " + t.owner().pid()).json()
          .get("words");
      assertThat(words).as("pid %d's words", t.owner().pid()).isNotEmpty();
      for (Map<String, Object> w : words) {
        assertThat(addresses).as("pid %d's address %s", t.owner().pid(), w.get("address"))
            .contains((String) w.get("address"));
        if (w.get("kind").equals("pt_regs")) {
          assertThat(fields.get((String) w.get("address"))).as("pid %d's %s",
              t.owner().pid(), w.get("label")).isEqualTo(w.get("label"));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void sleepingTasksShowTheirSwitchFrameAndTheBaseOfEveryStackIsLabelled(Profile p) {
    Session s = inWrite(p);
    var snap = s.machine().inspector().snapshot();
    Picture pic = Pictures.of(snap, null, "t");
    for (TaskStack t : snap.taskStacks()) {
      Column c = pic.columns().stream().filter(x -> x.id().equals("task-" + t.owner().pid()))
          .findFirst().orElseThrow();
      for (StackWord w : t.stack().words()) {
        Block b = c.blocks().stream().filter(x -> Long.compareUnsigned(x.low(), w.address()) <= 0
            && Long.compareUnsigned(w.address(), x.high()) < 0).findFirst().orElseThrow(
                () -> new AssertionError("no block holds " + w));
        String expected = switch (w.kind()) {
          case LOCAL, FRAME, RETADDR -> "frame";
          default -> w.kind().label();
        };
        assertThat(b.kind()).as("the block of %s", w.label()).isEqualTo(expected);
      }
      assertThat(c.blocks()).as("pid %d's blocks cover its stack", t.owner().pid())
          .extracting(Block::high).contains(t.stack().high());
    }
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void stackDrawShowsEachMarkOnOneLineOnly(Profile p) {
    Session s = inWrite(p);
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    for (String line : run(s, "stack --draw").text()) {
      for (String mark : line.split("  <- ")) {
        if (line.contains("  <- " + mark)) {
          seen.merge(mark.strip(), 1, Integer::sum);
        }
      }
    }
    assertThat(seen).as(p.label()).isNotEmpty().allSatisfy((mark, n) -> assertThat(n).as(mark)
        .isEqualTo(1));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void stackDrawIsToScaleInLinesAndNamesEveryRegionAndEveryPtRegsField(Profile p) {
    Session s = inWrite(p);
    List<String> lines = run(s, "stack --draw").text();
    TaskStack t = s.machine().inspector().taskStack(null, true);
    StackRegion r = t.stack();
    long perLine = Math.max(Pictures.wordSize(s.machine().inspector().snapshot()),
        r.size() / TextPicture.LINES);
    int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("pid " + t.owner().pid()
        + " (")).findFirst().orElseThrow());
    assertThat(lines.get(header)).contains(String.format("0x%x..0x%x", r.low(), r.high()))
        .contains("1 line = " + perLine + " bytes");
    int end = header + 2;
    while (!lines.get(end).trim().startsWith("+")) {
      end++;
    }
    List<String> body = lines.subList(header + 2, end);
    long guards = s.machine().inspector().snapshot().guards().stream()
        .filter(g -> g.high() == r.low() || g.low() == r.high())
        .mapToLong(g -> g.high() - g.low()).sum();
    assertThat(body).as("lines of the box").hasSize((int) ((r.size() + guards) / perLine));
    String hex = s.machine().hexFormat();
    assertThat(body).anyMatch(l -> l.startsWith(String.format(hex, r.low()) + "  |"));
    assertThat(body).anyMatch(l -> l.startsWith(String.format(hex, r.high() - perLine) + "  |"));
    String all = String.join("\n", body);
    for (StackWord w : r.words()) {
      if (w.kind() == WordKind.PT_REGS) {
        assertThat(all).as("pt_regs field %s", w.label())
            .containsPattern("[ :]" + java.util.regex.Pattern.quote(
                TextPicture.shortName(w.label())) + "( |;|$)");
      }
    }
    assertThat(all).contains("pt_regs:").contains("unused:");
    assertThat(all).contains("frame of " + t.backtrace().get(1).function());
  }

  @Test
  void theSameMachineStateGivesTheSameSvgByteForByte() throws Exception {
    String a = export(inWrite(Profiles.x86_64_6_19()), "");
    String b = export(inWrite(Profiles.x86_64_6_19()), "");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void badExportAndDrawArgumentsAreRefusedWithTheirColumn() {
    Session s = inWrite(Profiles.x86_64_6_19());
    assertThatThrownBy(() -> run(s, "export")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("usage: export svg FILE [PID]");
    assertThatThrownBy(() -> run(s, "export png x.png")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("usage: export svg FILE [PID]");
    assertThatThrownBy(() -> run(s, "export svg " + dir.resolve("no/such/dir/x.svg")))
        .isInstanceOf(ScriptError.class).hasMessageContaining("export svg: cannot write");
    assertThatThrownBy(() -> run(s, "export svg " + dir.resolve("x.svg") + " 999"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("no task with pid 999");
    assertThatThrownBy(() -> run(s, "stack --draw 999")).isInstanceOf(ScriptError.class)
        .hasMessageContaining("no task with pid 999");
    assertThat(((ScriptError) catchError(s, "export svg " + dir + " 1")).located())
        .startsWith("-e:1:12:");
  }

  private static Throwable catchError(Session s, String cmd) {
    try {
      run(s, cmd);
    } catch (ScriptError e) {
      return e;
    }
    throw new AssertionError("no error for " + cmd);
  }
}
