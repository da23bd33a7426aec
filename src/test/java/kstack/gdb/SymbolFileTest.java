package kstack.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ELF file of {@code kstack symbols --elf} as gdb reads it with {@code symbol-file}: the class
 * and machine of the profile's architecture, the profile's struct layouts (ptype, sizeof, offsets)
 * and its symbols, so that gdb's own bt names the functions of the served machine.
 */
class SymbolFileTest {
  static Stream<Profile> profiles() {
    return Profiles.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void theHeaderNamesTheArchitecturesClassAndMachine(Profile p) {
    byte[] elf = Elf.of(Machine.create(p, 1));
    assertThat(new String(elf, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
    int[] classAndMachine = switch (p.arch()) {
      case "x86_64" -> new int[] {2, 62};
      case "arm64" -> new int[] {2, 183};
      default -> new int[] {1, 3};
    };
    assertThat(elf[4]).isEqualTo((byte) classAndMachine[0]);
    assertThat((elf[18] & 0xff) | (elf[19] & 0xff) << 8).isEqualTo(classAndMachine[1]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void gdbsPtypeAndSizeofOfPtRegsAndTaskStructAreTheProfiles(Profile p, @TempDir Path dir)
      throws Exception {
    Machine m = Machine.create(p, 1);
    Path elf = dir.resolve("kstack.elf");
    Files.write(elf, Elf.of(m));
    String out = Gdb.batch(p.arch(), "symbol-file " + elf, "ptype struct pt_regs",
        "p/x sizeof(struct pt_regs)", "p/x sizeof(struct task_struct)",
        "p/x (unsigned long)&((struct task_struct *)0)->comm");
    var regs = m.struct("pt_regs");
    assertThat(out).as(out).contains("type = struct pt_regs {");
    regs.fields().forEach(f -> assertThat(out).contains(" " + f.name()));
    assertThat(Gdb.printed(out)).as(out).containsExactly((long) regs.size(),
        (long) m.struct("task_struct").size(), (long) m.struct("task_struct").offset("comm"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void gdbsBacktraceThroughTheSymbolFileNamesTheSyscallPathsFunction(Profile p,
      @TempDir Path dir) throws Exception {
    try (Served s = Served.after(p, 1, "boot", "spawn sh")) {
      Path elf = dir.resolve("kstack.elf");
      Files.write(elf, Elf.of(s.machine()));
      String fn = GdbSessionTest.entryCallee(p);
      String out = Gdb.run(p.arch(), s.port(), "symbol-file " + elf, "break *"
          + s.machine().symbols().get(fn).address(), "monitor syscall getpid()", "continue", "bt 1");
      assertThat(out).as(out).containsPattern("(?m)^#0  0x0*"
          + Long.toHexString(s.machine().symbols().get(fn).address()) + " in " + fn + " \\(\\)");
    }
  }
}
