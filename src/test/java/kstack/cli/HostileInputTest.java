package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import kstack.lang.TextInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and standard input that are not scenario text (/dev/zero-like NUL floods, random bytes,
 * over-long lines, over-large files) each end in one located message and a non-zero exit code;
 * text with a byte order mark or CR line endings runs. Generated in the test, run through the CLI
 * entry point in-process.
 */
class HostileInputTest {
  record Run(int code, String out, String err) {}

  static Run run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(args, stdin == null ? null : new ByteArrayInputStream(stdin),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** One line on stderr, located, no trace, exit code 1. */
  static void oneLocatedLine(Run r, String prefix) {
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith(prefix).doesNotContain("Exception").doesNotContain("Error:");
  }

  static byte[] nul(int n) {
    return new byte[n];
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(20261207L).nextBytes(b);
    return b;
  }

  @Test
  void eightMebibytesOfNulInAFileIsOneLocatedBinaryInputMessage(@TempDir Path dir) throws Exception {
    Path f = Files.write(dir.resolve("zero.ks"), nul(8 << 20));
    Run r = run(null, "run", f.toString());
    oneLocatedLine(r, f + ":1:1: binary input: a NUL byte");
    Run d = run(null, "diff", "--a", "x86_64:4.16", "--b", "x86_64:6.x", f.toString());
    oneLocatedLine(d, f + ":1:1: binary input: a NUL byte");
  }

  @Test
  void randomBytesInAFileOrOnStdinAreOneLocatedMessage(@TempDir Path dir) throws Exception {
    Path f = Files.write(dir.resolve("random.ks"), random(4 << 20));
    oneLocatedLine(run(null, "run", f.toString()), f + ":1:");
    Run i = run(random(4 << 20), "run", "-i");
    oneLocatedLine(i, "<stdin>:1:");
    assertThat(i.err()).contains("binary input");
  }

  @Test
  void nulOnStandardInputEndsTheSessionWithOneLocatedMessage() {
    Run r = run(nul(8 << 20), "run", "-i", "-e", "p 1");
    oneLocatedLine(r, "<stdin>:1:1: binary input: a NUL byte");
    assertThat(r.out()).contains("$1 = 1");
    Run later = run("p 2\nboot\0\n".getBytes(StandardCharsets.UTF_8), "run", "-i");
    oneLocatedLine(later, "<stdin>:2:5: binary input: a NUL byte");
    assertThat(later.out()).contains("$1 = 2").doesNotContain("boot complete");
  }

  @Test
  void invalidUtf8IsLocatedAtItsFirstByte(@TempDir Path dir) throws Exception {
    Path f = Files.write(dir.resolve("latin1.ks"), new byte[] {'p', ' ', '1', '\n', 'p', ' ',
        '"', (byte) 0xe9, '"', '\n'});
    oneLocatedLine(run(null, "run", f.toString()),
        f + ":2:4: binary input: invalid UTF-8 (byte 0xe9");
  }

  @Test
  void aLineOverTheLimitIsRefusedBeforeItIsHeld(@TempDir Path dir) throws Exception {
    byte[] line = new byte[TextInput.MAX_LINE_BYTES + 1];
    Arrays.fill(line, (byte) 'a');
    Path f = Files.write(dir.resolve("long.ks"), line);
    oneLocatedLine(run(null, "run", f.toString()),
        f + ":1:1: the line is longer than 65536 bytes, the limit for one command");
    oneLocatedLine(run(line, "run", "-i"), "<stdin>:1:1: the line is longer than 65536 bytes");
    oneLocatedLine(run(null, "run", "-e", "p 1", "-e", new String(line, StandardCharsets.UTF_8)),
        "-e:2:1: the line is longer than 65536 bytes");
  }

  @Test
  void aFileOverTheLimitIsRefusedAndNoCommandOfItRuns(@TempDir Path dir) throws Exception {
    String line = "p 1 # " + "x".repeat(1017) + "\n"; // 1 KiB
    byte[] text = line.repeat((TextInput.MAX_FILE_BYTES >> 10) + 1)
        .getBytes(StandardCharsets.UTF_8);
    Path f = Files.write(dir.resolve("big.ks"), text);
    Run r = run(null, "run", f.toString());
    oneLocatedLine(r, f + ":4097:1: the file is larger than 4 MiB, the limit for a scenario file");
    assertThat(r.out()).doesNotContain("$1");
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheFirstCommand(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("bom.ks"), "\uFEFFp 1\n  bogus\n");
    Run r = run(null, "run", f.toString());
    assertThat(r.out()).contains("(kstack) p 1\n$1 = 1");
    assertThat(r.err().strip()).isEqualTo(f + ":2:3: unknown command 'bogus' (try 'help')");
    Run nul = run("\uFEFFp\0".getBytes(StandardCharsets.UTF_8), "run", "-i");
    oneLocatedLine(nul, "<stdin>:1:2: binary input: a NUL byte");
    Run i = run("\uFEFFp 7\n".getBytes(StandardCharsets.UTF_8), "run", "-i");
    assertThat(i.code()).isZero();
    assertThat(i.out()).contains("$1 = 7");
  }

  @Test
  void crOnlyAndCrLfLineEndingsSeparateCommandsInFilesAndOnStdin(@TempDir Path dir)
      throws Exception {
    Path cr = Files.writeString(dir.resolve("cr.ks"), "p 1\rp 2\r\rp 3");
    Run r = run(null, "run", cr.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("$1 = 1\n").contains("$2 = 2\n").contains("$3 = 3\n");
    Path crlf = Files.writeString(dir.resolve("crlf.ks"), "p 1\r\n\r\n  bogus\r\n");
    assertThat(run(null, "run", crlf.toString()).err().strip())
        .isEqualTo(crlf + ":3:3: unknown command 'bogus' (try 'help')");
    Run i = run("p 1\rp 2\r\np 3\n".getBytes(StandardCharsets.UTF_8), "run", "-i");
    assertThat(i.out()).contains("$1 = 1\n$2 = 2\n$3 = 3\n");
  }

  @Test
  void aControlCharacterInACommandIsOneLineWithItsCodePoint() {
    Run r = run(null, "run", "-e", "boot", "-e", "spawn a\nexec b");
    oneLocatedLine(r, "-e:2:8: control character U+000A in a command");
    Run esc = run("p 1\n\u001b[2Jp 2\n".getBytes(StandardCharsets.UTF_8), "run", "-i");
    oneLocatedLine(esc, "<stdin>:2:1: control character U+001B in a command");
  }

  @Test
  void aFileNameWithANewlineStaysOneLineInTheMessage() {
    Run r = run(null, "run", "no\nsuch\tfile");
    oneLocatedLine(r, "no\\nsuch\\tfile:1:1: no such scenario file");
  }

  @Test
  void aClosedStandardInputIsRefusedBeforeAnythingRuns() {
    Run r = run(null, "run", "-i", "-e", "p 1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).doesNotContain("$1");
    assertThat(r.err().strip()).startsWith("kstack: run -i: standard input is closed");
  }
}
