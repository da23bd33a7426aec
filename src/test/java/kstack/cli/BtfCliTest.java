package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import kstack.btf.BtfKind;
import kstack.btf.BtfWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kstack btf struct and percpu on blobs the test writes, and on bad files. */
class BtfCliTest {
  @TempDir
  Path dir;

  static BtfWriter regs() {
    BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
    int lng = w.integer("long unsigned int", 8, false, 64);
    int u16 = w.integer("u16", 2, false, 16);
    int uint = w.integer("unsigned int", 4, false, 32);
    int inner = w.composite(BtfKind.STRUCT, "inner", 16, new BtfWriter.M("a", lng, 0, 0),
        new BtfWriter.M("b", lng, 64, 0));
    int anon = w.composite(BtfKind.UNION, "", 8, new BtfWriter.M("cs", u16, 0, 0),
        new BtfWriter.M("csx", lng, 0, 0));
    int s = w.composite(BtfKind.STRUCT, "demo", 128, new BtfWriter.M("flags", uint, 0, 0),
        new BtfWriter.M("ip", lng, 64, 0), new BtfWriter.M("", anon, 128, 0),
        new BtfWriter.M("in", inner, 192, 0), new BtfWriter.M("iopl", uint, 320, 1),
        new BtfWriter.M("late", lng, 576, 0));
    int var = w.type("current_task", 14, 0, false, w.ref(BtfKind.PTR, "", s), 1);
    w.datasec(".data..percpu", 0x100, var, 0x18, 8);
    w.ref(BtfKind.TYPEDEF, "demo_t", s);
    return w;
  }

  Path file(byte[] b) throws Exception {
    Path f = Files.createTempFile(dir, "btf", ".bin");
    Files.write(f, b);
    return f;
  }

  @Test
  void structPrintsOffsetsSizesHolesBitfieldsCachelinesAndPadding() throws Exception {
    var r = HostileInputTest.run(null, "btf", "--btf", file(regs().bytes()).toString(), "struct",
        "demo");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("struct demo {")
        .contains("\tunsigned int               flags;                /*     0     4 */")
        .contains("/* XXX 4 bytes hole, try to pack */")
        .contains("\tunion {\n\t\tu16                cs;                   /*    16     2 */")
        .contains("\tstruct inner               in;                   /*    24    16 */")
        .contains("\tunsigned int               iopl:1;               /*    40: 0  4 */")
        .contains("/* --- cacheline 1 boundary (64 bytes) was 8 bytes ago --- */")
        .contains("/* size: 128, cachelines: 2, members: 6 */")
        .contains("/* padding: 48 */");
  }

  @Test
  void expandPrintsANamedMemberStructInPlace() throws Exception {
    var r = HostileInputTest.run(null, "btf", "--btf", file(regs().bytes()).toString(), "struct",
        "--expand", "demo");
    assertThat(r.out()).contains("\tstruct inner {\n\t\tlong unsigned int  a;")
        .contains("} in;");
  }

  @Test
  void aTypedefOfAStructAndAnEnumArePrintable() throws Exception {
    BtfWriter w = regs();
    w.enumeration("pid_type", 4, false, new String[] {"PIDTYPE_PID", "PIDTYPE_TGID"},
        new long[] {0, 1});
    Path f = file(w.bytes());
    assertThat(HostileInputTest.run(null, "btf", "--btf", f.toString(), "struct", "demo_t").out())
        .startsWith("typedef struct demo demo_t;");
    assertThat(HostileInputTest.run(null, "btf", "--btf", f.toString(), "struct",
        "enum pid_type").out()).contains("\tPIDTYPE_TGID = 1,");
  }

  @Test
  void percpuListsTheSectionsVariablesWithOffsetsAndSizes() throws Exception {
    var r = HostileInputTest.run(null, "btf", "--btf", file(regs().bytes()).toString(), "percpu");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains(".data..percpu: 1 variables, 256 bytes")
        .contains("      0x18        8  struct demo *current_task");
  }

  @Test
  void anUnknownTypeIsOneLineAndExitOne() throws Exception {
    var r = HostileInputTest.run(null, "btf", "--btf", file(regs().bytes()).toString(), "struct",
        "nosuch");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("kstack: btf: no type nosuch in ").hasLineCount(1);
  }

  @Test
  void aMissingFileIsExitTwo() {
    var r = HostileInputTest.run(null, "btf", "--btf", dir.resolve("none").toString(), "percpu");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no such file").hasLineCount(1);
  }

  @Test
  void aCorruptFileIsOneLineWithTheByteOffset() throws Exception {
    byte[] b = regs().bytes();
    b[0] = 0;
    var r = HostileInputTest.run(null, "btf", "--btf", file(b).toString(), "percpu");
    HostileInputTest.oneLocatedLine(r, "kstack: btf: ");
    assertThat(r.err()).contains("not valid BTF: byte 0: bad magic");
  }

  /** Mutated blobs through the whole command (seed printed): exit 0 or 1, one line, no trace. */
  @Test
  void mutatedBlobsEndInOutputOrOneMessage() throws Exception {
    long seed = 7L;
    Random r = new Random(seed);
    byte[] good = regs().bytes();
    for (int i = 0; i < 100; i++) {
      byte[] b = good.clone();
      for (int k = r.nextInt(4) + 1; k > 0; k--) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      if (r.nextInt(4) == 0) {
        b = Arrays.copyOf(b, r.nextInt(b.length));
      }
      String cmd = r.nextBoolean() ? "percpu" : "struct";
      var res = cmd.equals("percpu")
          ? HostileInputTest.run(null, "btf", "--btf", file(b).toString(), "percpu")
          : HostileInputTest.run(null, "btf", "--btf", file(b).toString(), "struct", "-E", "demo");
      assertThat(res.code()).as("seed %d blob %d: %s", seed, i, res.err()).isIn(0, 1);
      assertThat(res.err()).as("seed %d blob %d", seed, i).doesNotContain("internal error")
          .doesNotContain("Exception");
      if (res.code() == 1) {
        assertThat(res.err().lines().count()).as("seed %d blob %d", seed, i).isEqualTo(1);
      }
    }
  }
}
