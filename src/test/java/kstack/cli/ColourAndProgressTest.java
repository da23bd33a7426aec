package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import kstack.catalog.Profiles;
import kstack.lang.Session;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Colour on a terminal only (never piped, for --json, on a dumb terminal or with NO_COLOR), and the
 * progress line of a long command: on standard error, erased when the command ends.
 */
class ColourAndProgressTest {
  private static final String ESC = "\033";

  @TempDir
  Path dir;

  static List<Profile> profiles() {
    return Profiles.all();
  }

  @Test
  void colourIsOnOnlyForATerminalWithoutJsonNoColorOrADumbTerm() {
    assertThat(Colour.forOutput(true, false, Map.of())).isSameAs(Colour.ANSI);
    assertThat(Colour.forOutput(false, false, Map.of())).isSameAs(Colour.NONE);
    assertThat(Colour.forOutput(true, true, Map.of())).isSameAs(Colour.NONE);
    assertThat(Colour.forOutput(true, false, Map.of("NO_COLOR", "1"))).isSameAs(Colour.NONE);
    // no-color.org: an empty NO_COLOR does not count as set
    assertThat(Colour.forOutput(true, false, Map.of("NO_COLOR", ""))).isSameAs(Colour.ANSI);
    assertThat(Colour.forOutput(true, false, Map.of("TERM", "dumb"))).isSameAs(Colour.NONE);
  }

  @Test
  void aColouredLineMarksAddressesAndSymbolsAndOtherwiseKeepsItsText() {
    String line = "$1 = (void *) 0xffffffff81203e78 <init_thread_union+0x3e78>, pid 3";
    String painted = Colour.ANSI.line(line);
    assertThat(painted).contains("\033[33m0xffffffff81203e78\033[0m")
        .contains("\033[32m<init_thread_union+0x3e78>\033[0m");
    assertThat(painted.replaceAll("\033\\[[0-9;]*m", "")).isEqualTo(line);
    assertThat(Colour.NONE.line(line)).isEqualTo(line);
    assertThat(Colour.NONE.error("e")).isEqualTo("e");
    assertThat(Colour.ANSI.error("e")).isEqualTo("\033[31me\033[0m");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void pipedOutputAndErrorsHoldNoEscapeCode(Profile p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var regs = Machine.create(p, 1).arch().registers();
    String sp = "$" + regs.name(regs.sp);
    int code = Main.execute(new String[] {"run", "--arch", p.arch(), "--kernel", p.kernel(),
        "-e", "boot", "-e", "p " + sp, "-e", "x/2a " + sp, "-e", "bt", "-e", "nosuch"},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(" <").doesNotContain(ESC);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'nosuch'")
        .doesNotContain(ESC);
  }

  /** Types keys at the prompt with colour as given; what the screen received. */
  private String screen(String keys, boolean colour) throws Exception {
    Session s = new Session(Machine.create(Profiles.newest("x86_64").orElseThrow(), 1));
    s.execute(kstack.lang.Source.commandLine(1, "boot"));
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    try (ExternalTerminal t = new ExternalTerminal("test", "xterm",
        new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), screen,
        StandardCharsets.UTF_8)) {
      t.setSize(new Size(160, 40));
      assertThat(new Repl(s, t, dir.resolve("h"), colour, false).run()).isZero();
    }
    return screen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void thePromptColoursItsPromptAddressesSymbolsAndErrorsOnlyWhenAskedTo() throws Exception {
    String keys = "p $rsp\rnosuch\r";
    assertThat(screen(keys, true)).containsPattern("\033\\[(1;34|34;1)m\\(kstack\\)\033\\[0m")
        .contains("\033[33m0xffffffff").contains("\033[32m<init_thread_union+")
        .contains("\033[31m<stdin>:2:1: unknown command 'nosuch'");
    // JLine's own mode switches stay (\033[?2004h ...); no colour (SGR) sequence does
    assertThat(screen(keys, false)).contains("(kstack) p $rsp").contains("unknown command")
        .doesNotContainPattern("\033\\[[0-9;]+m");
  }

  @Test
  void aProgressLineIsDrawnOnErrorAndErasedWhenTheCommandEnds() throws Exception {
    StringWriter err = new StringWriter();
    AtomicLong steps = new AtomicLong(100);
    try (Progress bar = Progress.start(true, new PrintWriter(err), "boot", steps::get, 0)) {
      steps.set(1342);
      for (int i = 0; i < 500 && !err.toString().contains("1242 steps"); i++) {
        Thread.sleep(10); // waits for the drawing thread's first line, however long it takes
      }
    }
    assertThat(err.toString()).startsWith("\r\033[Kboot: ").contains("boot: 1242 steps")
        .endsWith("\r\033[K");
  }

  @Test
  void noProgressLineIsDrawnWhenOffOrForACommandThatEndsBeforeTheDelay() {
    StringWriter err = new StringWriter();
    try (Progress bar = Progress.start(false, new PrintWriter(err), "boot", () -> 1, 0)) {
      assertThat(bar).isNotNull();
    }
    try (Progress bar = Progress.start(true, new PrintWriter(err), "p 1", () -> 1, 60_000)) {
      assertThat(bar).isNotNull();
    }
    assertThat(err.toString()).isEmpty();
  }
}
