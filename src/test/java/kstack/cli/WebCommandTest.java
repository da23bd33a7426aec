package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** kstack web refuses bad options (exit code 2) and an unreadable scenario (1) before serving. */
class WebCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run web(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "web";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Main.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aBadPortProfileOrConfigIsAUsageErrorAndAnUnreadableScenarioFails() {
    assertThat(web("--port", "70000")).extracting(Run::code, Run::err)
        .containsExactly(2, "kstack: web: --port takes 0 to 65535, not 70000\n");
    assertThat(web("--port", "x").code()).isEqualTo(2);
    assertThat(web("--arch", "sparc").err()).startsWith("kstack: web: unknown --arch sparc");
    assertThat(web("--kernel", "9.9").code()).isEqualTo(2);
    assertThat(web("--config", "KASAN").err()).contains("--config takes NAME=y or NAME=n");
    assertThat(web("--cpus", "0").code()).isEqualTo(2);
    assertThat(web("no-such-scenario.ks")).extracting(Run::code).isEqualTo(1);
    assertThat(web("no-such-scenario.ks").err()).contains("no such scenario file");
  }

  @Test
  void helpDescribesTheServer() {
    Run r = web("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("127.0.0.1").contains("--port");
  }
}
