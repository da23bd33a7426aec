package kstack.cli;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import kstack.btf.BtfKind;
import kstack.btf.BtfWriter;
import kstack.image.Symbol;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/**
 * The BTF a kernel built exactly as a profile models it would carry: every modelled struct with
 * the model's members at the model's offsets, the C long of the profile's word size, and the
 * per-CPU variables at the model's offsets in .data..percpu. Against it, check finds every item
 * equal; a test that shifts one member finds exactly that one different.
 */
final class ModelBtf {
  private final BtfWriter w = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
  private final Map<String, Integer> ids = new HashMap<>();
  private final Machine m;
  private final int word;
  private long sectionSize = 1 << 20;
  private String absentStruct = "";
  private String absentMember = "";

  ModelBtf(Machine m) {
    this.m = m;
    this.word = m.arch().types().word;
  }

  /** The size the .data..percpu DATASEC declares (default 1 MiB). */
  ModelBtf sectionSize(long bytes) {
    sectionSize = bytes;
    return this;
  }

  /** A kernel without the named member of the named struct (it is renamed kstack_absent). */
  ModelBtf without(String struct, String member) {
    absentStruct = struct;
    absentMember = member;
    return this;
  }

  /** The blob; shift moves the named struct's named member by that many bytes ("" for none). */
  byte[] build(String struct, String member, int shift) {
    w.integer("long int", word, true, word * 8);
    for (StructLayout l : m.structs().values()) {
      layout(l, l.name().equals(struct) ? member : "", shift);
    }
    long start = m.symbols().has("__per_cpu_start") ? m.symbols().get("__per_cpu_start").address()
        : 0;
    long[] triples = m.symbols().all().stream().filter(s -> s.kind() == Symbol.Kind.PERCPU)
        .flatMapToLong(s -> java.util.stream.LongStream.of(w.type(s.name(), 14, 0, false,
            type(s.type()), 1), s.address() - start, s.size())).toArray();
    w.datasec(".data..percpu", sectionSize, triples);
    return w.bytes();
  }

  private int layout(StructLayout l, String shifted, int shift) {
    Integer id = ids.get(l.name());
    if (id != null) {
      return id;
    }
    BtfWriter.M[] ms = new BtfWriter.M[l.fields().size()];
    for (int i = 0; i < ms.length; i++) {
      Field f = l.fields().get(i);
      int off = f.offset() + (f.name().equals(shifted) ? shift : 0);
      String name = l.name().equals(absentStruct) && f.name().equals(absentMember)
          ? "kstack_absent" : f.name();
      ms[i] = new BtfWriter.M(name, type(f.type()), 8L * off, 0);
    }
    id = w.composite(BtfKind.STRUCT, l.name(), l.size(), ms);
    ids.put(l.name(), id);
    return id;
  }

  private int type(CType t) {
    if (t instanceof CType.Int i) {
      return ids.computeIfAbsent("int " + i.name(), k -> w.integer(i.name(), i.size(),
          i.signed(), i.size() * 8));
    } else if (t instanceof CType.Ptr p) {
      return w.ref(BtfKind.PTR, "", p.target() instanceof CType.Void ? 0 : type(p.target()));
    } else if (t instanceof CType.Array a) {
      return w.array(type(a.element()), type(new CType.Int("int", 4, true)), a.length());
    } else if (t instanceof CType.Struct s) {
      return layout(s.layout(), "", 0);
    } else if (t instanceof CType.Named n) {
      return ids.computeIfAbsent("fwd " + n.structName(), k -> w.type(n.structName(), 7, 0,
          false, 0));
    }
    return 0;
  }
}
