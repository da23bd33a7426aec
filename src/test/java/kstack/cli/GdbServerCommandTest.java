package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** kstack gdbserver on the command line: where to connect, kill ends it, bad options refused. */
class GdbServerCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "i386", "arm64"})
  void itRunsTheScenarioSaysWhereToConnectAndEndsWhenTheClientKills(String arch)
      throws Exception {
    PipedInputStream pipe = new PipedInputStream(1 << 16);
    PrintStream out = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.execute(
        new String[] {"gdbserver", "--port", "0", "--arch", arch, "boot"}, out, System.err));
    BufferedReader lines = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
    String first = lines.readLine();
    assertThat(first).startsWith("kstack gdbserver: " + arch + " ").contains(", 1 CPU, listening"
        + " on 127.0.0.1:");
    Matcher m = Pattern.compile("\\(gdb\\) target remote 127\\.0\\.0\\.1:(\\d+)")
        .matcher(lines.readLine());
    assertThat(m.matches()).isTrue();
    try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
      s.getOutputStream().write("$k#6b".getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      assertThat(s.getInputStream().read()).isEqualTo('+');
    }
    assertThat(code.get(60, TimeUnit.SECONDS)).isZero();
    assertThat(lines.readLine()).isEqualTo("kstack gdbserver: the client killed the session: "
        + "exiting");
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    CliTest.Run r = CliTest.run("gdbserver", "--port", "70000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("kstack: gdbserver: --port takes 0 to 65535, not 70000\n");
  }

  @Test
  void aPortInUseSaysSoWithExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      CliTest.Run r = CliTest.run("gdbserver", "--port", "" + taken.getLocalPort());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("kstack: gdbserver: cannot serve on 127.0.0.1:"
          + taken.getLocalPort() + ": ");
      CliTest.noStackTrace(r);
    }
  }

  @Test
  void anUnknownProfileOrScenarioIsRefusedBeforeAnythingListens() {
    assertThat(CliTest.run("gdbserver", "--arch", "mips").code()).isEqualTo(2);
    CliTest.Run r = CliTest.run("gdbserver", "--port", "0", "no-such-scenario.ks");
    assertThat(r.code()).isNotZero();
    assertThat(r.out()).doesNotContain("listening");
    CliTest.noStackTrace(r);
  }

  @Test
  void symbolsWritesTheElfFileAndSaysWhere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path f = dir.resolve("k.elf");
    CliTest.Run r = CliTest.run("symbols", "--arch", "i386", "--kernel", "2.6", "--elf", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("kstack symbols: i386 2.6 (2.6.32").contains("bytes written to "
        + f);
    assertThat(java.nio.file.Files.readAllBytes(f)).startsWith(0x7f, 'E', 'L', 'F', 1);
  }

  @Test
  void symbolsToAFileThatCannotBeWrittenSaysWhyWithExitCode1(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    CliTest.Run r = CliTest.run("symbols", "--elf", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("kstack: symbols: cannot write " + dir + ": ");
    CliTest.noStackTrace(r);
    assertThat(CliTest.run("symbols").code()).as("--elf is required").isEqualTo(2);
  }
}
