package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kstack.btf.Btf;
import kstack.btf.BtfKind;
import kstack.btf.BtfMembers;
import kstack.catalog.BtfLayouts;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kstack run --btf: the committed test BTF (src/test/resources/btf/x86_64-6.x.btf: the x86_64
 * 6.x model's structs and per-CPU variables as this project's build machine's kernel laid them
 * out, written by ModelBtf from a machine run on that kernel's BTF; regenerate with
 * -Dkstack.btf.regenerate=true where /sys/kernel/btf/vmlinux is an x86_64 6.x kernel's), the
 * scenarios' goldens under it, the host's BTF, contradictions and corrupt files.
 */
class RunBtfTest {
  static final Path BTF = Path.of("src/test/resources/btf/x86_64-6.x.btf");
  static final Path GOLDEN = Path.of("src/test/resources/golden/btf-x86_64-6.x");
  static final Path HOST = Path.of(BtfFile.HOST);

  @TempDir
  Path dir;

  static Btf read(Path p) throws Exception {
    return Btf.read(Btf.load(p));
  }

  static long taskStructSize(Btf b) {
    return b.sizeOf(b.find("task_struct", BtfKind.STRUCT).orElseThrow().id());
  }

  static long stackOffset(Btf b) {
    int id = b.find("task_struct", BtfKind.STRUCT).orElseThrow().id();
    return new BtfMembers(b).find(id, "stack").orElseThrow().byteOffset();
  }

  @Test
  void theCommittedBtfIsWhatTheHostsKernelGivesTheModel() throws Exception {
    if (Boolean.getBoolean("kstack.btf.regenerate")) {
      Btf host = read(HOST);
      Machine m = Machine.create(Profiles.x86_64_6_19(), 1, new BtfLayouts(host, BtfFile.HOST));
      long section = host.dataSec(LayoutCheck.PERCPU).orElseThrow().size();
      Files.write(BTF, new ModelBtf(m).sectionSize(section).build("", "", 0));
    }
    Btf b = read(BTF);
    assertThat(Files.size(BTF)).isLessThan(64 * 1024);
    assertThat(taskStructSize(b)).as("task_struct at a real kernel's size").isGreaterThan(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot", "syscall", "fork", "kthread"})
  void aScenarioOnTheCommittedBtfPrintsItsGoldenOutput(String scenario) throws Exception {
    CliTest.Run r = CliTest.run("run", "--btf", BTF.toString(), scenario);
    assertThat(r.code()).as(r.err()).isZero();
    Path golden = GOLDEN.resolve(scenario + ".out");
    if (Boolean.getBoolean("kstack.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
    }
    assertThat(r.out()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @Test
  void sizeofAndOffsetofPrintTheBtfsValues() throws Exception {
    Btf b = read(BTF);
    CliTest.Run r = CliTest.run("run", "--btf", BTF.toString(), "--json", "-e",
        "p sizeof(struct task_struct)", "-e", "p offsetof(struct task_struct, stack)");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"profile\":\"x86_64 6.x (6.19)\"")
        .contains(String.format("\"value\":\"%#x\"", taskStructSize(b)))
        .contains(String.format("\"value\":\"%#x\"", stackOffset(b)));
  }

  @Test
  void theHeaderSaysWhichModelRunsAndTheDefaultRunIsUnchanged() {
    CliTest.Run r = CliTest.run("run", "--btf", BTF.toString(), "-e", "p 1");
    assertThat(r.out()).startsWith("kstack: btf: " + BTF + " (x86_64, ").contains(
        "the x86_64 6.x (6.19) model (the newest x86_64 model it fits) runs with the kernel's "
            + "layouts");
    assertThat(CliTest.run("run", "-e", "p sizeof(struct task_struct)").out())
        .startsWith("kstack: x86_64 6.x (6.19), 1 CPU").doesNotContain("btf");
  }

  @Test
  void theHostsBtfGivesTheRunningKernelsTaskStruct() throws Exception {
    assumeTrue(Files.isReadable(HOST), "no " + HOST + " on this machine");
    Btf host = read(HOST);
    assumeTrue(host.pointerSize() == 8 && "x86_64".equals(Check.arch(host)),
        "the host's kernel is not x86_64");
    CliTest.Run r = CliTest.run("run", "--btf", "host", "--json", "-e",
        "p sizeof(struct task_struct)", "-e", "p offsetof(struct task_struct, stack)");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(String.format("\"value\":\"%#x\"", taskStructSize(host)))
        .contains(String.format("\"value\":\"%#x\"", stackOffset(host)));
  }

  @Test
  void aKernelWithoutAMemberTheStepCodeUsesIsRefusedWithTheReason() throws Exception {
    Path f = dir.resolve("no-stack.btf");
    Files.write(f, new ModelBtf(Machine.create(Profiles.x86_64_6_19(), 1))
        .without("task_struct", "stack").build("", "", 0));
    CliTest.Run r = CliTest.run("run", "--btf", f.toString(), "--kernel", "6.x", "-e", "p 1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("kstack: run: the x86_64 6.x (6.19) model cannot run on "
        + f + ": the kernel's struct task_struct has no member stack, which the model's step code"
        + " uses");
  }

  @Test
  void aMemberPastTheEndOfTheKernelsStructIsRefused() throws Exception {
    Path f = dir.resolve("big-regs.btf");
    Files.write(f, new ModelBtf(Machine.create(Profiles.x86_64_6_19(), 1))
        .build("pt_regs", "ss", 8));
    CliTest.Run r = CliTest.run("run", "--btf", f.toString(), "--kernel", "6.x", "-e", "p 1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("the kernel's struct pt_regs is 168 bytes, and its ss at 168 "
        + "ends past that");
  }

  @Test
  void withoutKernelTheNewestModelTheBtfFitsIsPicked() throws Exception {
    Path f = dir.resolve("x86_64-4.16.btf");
    Files.write(f, new ModelBtf(Machine.create(Profiles.x86_64_4_16(), 1)).build("", "", 0));
    CliTest.Run r = CliTest.run("run", "--btf", f.toString(), "-e", "p 1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("the x86_64 4.16 (4.16.13) model (the newest x86_64 model it"
        + " fits)");
  }

  @Test
  void aCorruptBtfIsOneLineAndExit2() throws Exception {
    Path f = dir.resolve("corrupt.btf");
    byte[] b = Files.readAllBytes(BTF);
    b[0] = 0x12; // the magic
    Files.write(f, b);
    CliTest.Run r = CliTest.run("run", "--btf", f.toString(), "-e", "p 1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("kstack: run: " + f + ": not valid BTF: ")
        .doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void aBtfOfAnotherArchitectureThanTheNamedOneIsRefused() {
    CliTest.Run r = CliTest.run("run", "--btf", BTF.toString(), "--arch", "i386", "-e", "p 1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is x86_64's (8-byte pointers), not i386's");
  }
}
