package kstack.gdb;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** Runs Debian's gdb (or gdb-multiarch) in batch mode against a served machine. */
final class Gdb {
  private Gdb() {}

  /** gdb for x86_64 and i386, gdb-multiarch for arm64; the test is skipped where it is absent. */
  static String binary(String arch) {
    String name = arch.equals("arm64") ? "gdb-multiarch" : "gdb";
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    Assumptions.abort(name + " is not installed (.ci/run installs it: apt-get install gdb "
        + "gdb-multiarch)");
    return null;
  }

  /** gdb's BFD architecture name for kstack's. */
  static String architecture(String arch) {
    return switch (arch) {
      case "x86_64" -> "i386:x86-64";
      case "arm64" -> "aarch64";
      default -> "i386";
    };
  }

  /** Connects, runs the commands, detaches; gdb's stdout and stderr together. */
  static String run(String arch, int port, String... commands) throws Exception {
    List<String> all = new ArrayList<>(List.of("target remote 127.0.0.1:" + port));
    all.addAll(List.of(commands));
    all.add("detach");
    return batch(arch, all.toArray(String[]::new));
  }

  /** gdb -batch -nx with the architecture set, then each command (-ex); its output. */
  static String batch(String arch, String... commands) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(binary(arch), "-batch", "-nx",
        "-ex", "set architecture " + architecture(arch)));
    for (String c : commands) {
      cmd.add("-ex");
      cmd.add(c);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The values gdb printed for p/x, in order ("$1 = 0x..."). */
  static List<Long> printed(String out) {
    List<Long> v = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\$\\d+ = 0x([0-9a-f]+)$").matcher(out);
    while (m.find()) {
      v.add(Long.parseUnsignedLong(m.group(1), 16));
    }
    return v;
  }

  /**
   * The words of each x/NFx line that starts with ADDR, in order (gdb's own and kstack's through
   * monitor, with or without a symbol after the address).
   */
  static List<List<String>> words(String out, long addr) {
    List<List<String>> v = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^0x0*" + Long.toHexString(addr) + "(?: <[^>]*>)?:(.*)$")
        .matcher(out);
    while (m.find()) {
      v.add(List.of(m.group(1).trim().split("\\s+")));
    }
    return v;
  }
}
