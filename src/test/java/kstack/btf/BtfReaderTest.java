package kstack.btf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader on blobs the tests write: every kind, in both byte orders, bitfields, split BTF. */
class BtfReaderTest {
  static Btf read(String order) {
    return Btf.read(Blobs.everyKind(order.equals("big") ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN));
  }

  @Nested
  class ABlobWithEveryKind {
    @ParameterizedTest
    @ValueSource(strings = {"little", "big"})
    void readsEachOfTheNineteenKindsInEitherByteOrder(String order) {
      Btf b = read(order);
      assertThat(b.count()).isEqualTo(Blobs.COUNT);
      assertThat(b.order()).isEqualTo(order.equals("big") ? ByteOrder.BIG_ENDIAN
          : ByteOrder.LITTLE_ENDIAN);
      Set<BtfKind> kinds = b.ownTypes().stream().map(BtfType::kind)
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(BtfKind.class)));
      assertThat(kinds).isEqualTo(EnumSet.complementOf(EnumSet.of(BtfKind.VOID)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"little", "big"})
    void givesEachKindItsData(String order) {
      Btf b = read(order);
      assertThat(b.type(Blobs.INT)).isEqualTo(new BtfType.Int(1, "int", 4, true, false, false,
          0, 32));
      assertThat(b.type(Blobs.ARRAY)).isEqualTo(new BtfType.Array(5, 4, 1, 16));
      assertThat(((BtfType.Enum) b.type(Blobs.ENUM)).values()).extracting(
          BtfType.Enumerator::value).containsExactly(0L, -1L);
      assertThat(((BtfType.Enum) b.type(Blobs.ENUM64)).values().get(0).value())
          .isEqualTo(0x8000000000000001L);
      assertThat(b.type(Blobs.FWD)).isEqualTo(new BtfType.Fwd(11, "task_struct", false));
      assertThat(b.type(Blobs.FUNC)).isEqualTo(new BtfType.Func(17, "threadfn", 16, 1));
      assertThat(b.type(Blobs.VAR)).isEqualTo(new BtfType.Var(18, "current_task", 3, 1));
      assertThat(b.dataSec(".data..percpu").orElseThrow().vars())
          .containsExactly(new BtfType.SecVar(18, 0x18, 8));
      assertThat(b.type(Blobs.FLOAT)).isEqualTo(new BtfType.Float(20, "double", 8));
      assertThat(b.type(Blobs.DECL_TAG)).isEqualTo(new BtfType.DeclTag(21, "tag", 8, -1));
      assertThat(b.type(Blobs.TYPE_TAG)).isEqualTo(new BtfType.Ref(22, BtfKind.TYPE_TAG, "user",
          3));
      assertThat(((BtfType.FuncProto) b.type(Blobs.PROTO)).params())
          .containsExactly(new BtfType.Param("arg", 3));
    }

    @Test
    void sizesPointersByTheCLongAndArraysByTheirElements() {
      Btf b = read("little");
      assertThat(b.pointerSize()).isEqualTo(8);
      assertThat(b.sizeOf(Blobs.PTR_VOID)).isEqualTo(8);
      assertThat(b.sizeOf(Blobs.ARRAY)).isEqualTo(16);
      assertThat(b.sizeOf(Blobs.TYPEDEF)).isEqualTo(48);
      assertThat(b.resolve(Blobs.TYPEDEF)).isEqualTo(Blobs.STRUCT);
    }

    @Test
    void writesDeclarationsAsC() {
      BtfNames n = new BtfNames(read("little"));
      assertThat(n.declare(Blobs.FN_PTR, "threadfn")).isEqualTo("int (*threadfn)(void *)");
      assertThat(n.declare(Blobs.ARRAY, "comm")).isEqualTo("char comm[16]");
      assertThat(n.typeName(Blobs.CONST)).isEqualTo("const char");
      assertThat(n.typeName(Blobs.RESTRICT)).isEqualTo("void * restrict");
      assertThat(n.declare(Blobs.FUNC, "")).isEqualTo("int threadfn(void *)");
    }
  }

  @Nested
  class Bitfields {
    @Test
    void takeTheirWidthAndBitOffsetFromTheKindFlagMemberOffset() {
      Btf b = read("little");
      BtfMembers m = new BtfMembers(b);
      BtfMembers.Found mode = m.find(Blobs.STRUCT, "mode").orElseThrow();
      assertThat(mode.bitOffset()).isEqualTo(129);
      assertThat(mode.bitfieldSize()).isEqualTo(3);
      assertThat(m.find(Blobs.STRUCT, "ip").orElseThrow().bitfieldSize()).isZero();
    }

    @Test
    void withoutTheKindFlagTakeTheirWidthFromTheIntsBits() {
      BtfWriter w = Blobs.everyKindWriter(ByteOrder.LITTLE_ENDIAN);
      int s = w.composite(BtfKind.STRUCT, "old", 4, new BtfWriter.M("f", Blobs.OLD_BITS, 3, 0));
      Btf b = Btf.read(w.bytes());
      BtfType.Member f = ((BtfType.Composite) b.type(s)).members().get(0);
      assertThat(new BtfMembers(b).bitfield(f)).isEqualTo(5);
      assertThat(f.bitOffset()).isEqualTo(3);
    }
  }

  @Nested
  class AnonymousMembers {
    @Test
    void areFoundByTheirNamesWithTheUnionThatHoldsThem() {
      BtfMembers m = new BtfMembers(read("little"));
      BtfMembers.Found cs = m.find(Blobs.STRUCT, "cs").orElseThrow();
      assertThat(cs.byteOffset()).isEqualTo(8);
      assertThat(cs.size()).isEqualTo(2);
      assertThat(cs.holder().id()).isEqualTo(Blobs.UNION);
      assertThat(cs.holderOffset()).isEqualTo(8);
      assertThat(m.names(Blobs.STRUCT)).containsExactly("ip", "cs", "csx", "flag", "mode",
          "comm", "next");
    }
  }

  @Nested
  class SplitBtf {
    @Test
    void continuesTheBasesTypeIdsAndStringOffsets() {
      BtfWriter bw = Blobs.everyKindWriter(ByteOrder.LITTLE_ENDIAN);
      Btf base = Btf.read(bw.bytes());
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN, base.count(), bw.stringsLength());
      int mod = w.composite(BtfKind.STRUCT, "module_thing", 16,
          new BtfWriter.M("regs", Blobs.PTR_VOID, 0, 0), new BtfWriter.M("n", Blobs.INT, 64, 0));
      int ptr = w.ref(BtfKind.PTR, "", mod);
      Btf split = Btf.readSplit(w.bytes(), base);
      assertThat(mod).isEqualTo(Blobs.COUNT);
      assertThat(split.firstId()).isEqualTo(Blobs.COUNT);
      assertThat(split.count()).isEqualTo(Blobs.COUNT + 2);
      assertThat(split.type(mod).name()).isEqualTo("module_thing");
      assertThat(((BtfType.Composite) split.type(mod)).members().get(1).name()).isEqualTo("n");
      assertThat(split.type(Blobs.STRUCT).name()).isEqualTo("regs");
      assertThat(split.find("regs", BtfKind.STRUCT)).isPresent();
      assertThat(split.sizeOf(ptr)).isEqualTo(8);
      assertThat(new BtfNames(split).typeName(ptr)).isEqualTo("struct module_thing *");
    }

    @Test
    void reusesABaseStringByItsBaseOffset() {
      BtfWriter bw = Blobs.everyKindWriter(ByteOrder.LITTLE_ENDIAN);
      Btf base = Btf.read(bw.bytes());
      BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN, base.count(), bw.stringsLength());
      int id = w.type("", 8, 0, false, Blobs.INT);
      byte[] blob = w.bytes();
      // name the typedef "int" through the base's string offset of "int" (1: after "")
      blob[24 + 12 * 0] = 1;
      assertThat(Btf.readSplit(blob, base).type(id).name()).isEqualTo("int");
    }
  }
}
