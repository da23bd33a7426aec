package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** kstack check against BTF made from each profile's own model, shifted, and the host's. */
class CheckTest {
  @TempDir
  Path dir;

  static Stream<Profile> profiles() {
    return Profiles.all().stream();
  }

  static String kernelArg(Profile p) {
    return p.label().split(" ")[1];
  }

  Path modelBtf(Profile p, String struct, String member, int shift) throws Exception {
    Path f = Files.createTempFile(dir, "model", ".btf");
    Files.write(f, new ModelBtf(Machine.create(p, 1)).build(struct, member, shift));
    return f;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aKernelLaidOutAsTheModelIsEqualInEveryItem(Profile p) throws Exception {
    var r = HostileInputTest.run(null, "check", "--btf", modelBtf(p, "", "", 0).toString(),
        "--arch", p.arch(), "--kernel", kernelArg(p));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("every modelled layout the kernel has is equal")
        .doesNotContain(": different (");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aMemberAtAnotherOffsetIsDifferentWithBothOffsets(Profile p) throws Exception {
    Machine m = Machine.create(p, 1);
    var field = m.struct("pt_regs").fields().get(1);
    var r = HostileInputTest.run(null, "check", "--btf",
        modelBtf(p, "pt_regs", field.name(), 64).toString(), "--arch", p.arch(), "--kernel",
        kernelArg(p));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("struct pt_regs: different (")
        .contains("    " + field.name() + ": different (model " + field.offset() + "/"
            + field.size() + ", kernel " + (field.offset() + 64) + "/" + field.size() + ")")
        .contains("the model differs from this kernel");
  }

  /** check on an x86_64 6.x model's BTF with the given options. */
  HostileInputTest.Run checkX86_64(String option, String value) throws Exception {
    Profile x = Profiles.newest("x86_64").orElseThrow();
    return HostileInputTest.run(null, "check", "--btf", modelBtf(x, "", "", 0).toString(),
        option, value);
  }

  @Test
  void aBtfOfAnotherArchitectureIsRefused() throws Exception {
    var r = checkX86_64("--arch", "arm64");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is x86_64's (8-byte pointers), not arm64's").hasLineCount(1);
  }

  @Test
  void anUnknownKernelIsAUsageError() throws Exception {
    var r = checkX86_64("--kernel", "9.9");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no profile for --arch x86_64 --kernel 9.9");
  }

  /** The running kernel (x86_64 6.x on this project's machines): the frames the entry and
   *  switch code build are laid out exactly as the model lays them out. */
  @Test
  void onTheHostsX86_64KernelPtRegsAndTheSwitchFramesAreEqual() {
    assumeTrue(Files.isReadable(Path.of(BtfFile.HOST)), "this kernel exports no BTF");
    assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host is not x86_64");
    var r = HostileInputTest.run(null, "check", "--btf", "host", "--arch", "x86_64", "--kernel",
        "6.x");
    assertThat(r.out()).contains("struct pt_regs: equal (168 bytes)")
        .contains("struct inactive_task_frame: equal (56 bytes)")
        .contains("struct fork_frame: equal (224 bytes)");
  }
}
