package kstack.btf;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The types of one BTF blob, read and validated: every type id a type refers to exists, and no
 * chain of typedefs, qualifiers, arrays, pointers, functions or variables loops or runs deeper
 * than {@link BtfGraph#MAX_DEPTH}. Split BTF (a module's, on top of vmlinux's) continues the
 * base's type ids and string offsets: its first type is the base's count, and a name offset below
 * the base's string length is the base's string (Documentation/bpf/btf.rst@6.18, "BTF
 * deduplication"/split BTF; libbpf's btf__parse_split).
 */
public final class Btf {
  /** The largest blob read: vmlinux's is 5 to 10 MB; a bigger file is not BTF. */
  public static final long MAX_BYTES = 256L << 20;

  private final Btf base;
  private final int firstId;
  private final BtfType[] types;
  private final int[] offsets;
  private final BtfReader reader;
  private final Map<String, List<Integer>> byName = new HashMap<>();
  private final int[] depth;

  private Btf(byte[] blob, Btf base) {
    this.base = base;
    this.firstId = base == null ? 1 : base.count();
    this.reader = new BtfReader(blob, base);
    reader.readTypes(firstId);
    this.types = reader.types.toArray(new BtfType[0]);
    this.offsets = reader.offsets();
    for (BtfType t : types) {
      if (!t.name().isEmpty()) {
        byName.computeIfAbsent(t.name(), k -> new ArrayList<>(1)).add(t.id());
      }
    }
    this.depth = new BtfGraph(this).validate();
  }

  /** Reads a whole blob (vmlinux's BTF, or any base BTF). */
  public static Btf read(byte[] blob) {
    return new Btf(blob, null);
  }

  /** Reads split BTF on top of base (a module's BTF on top of vmlinux's). */
  public static Btf readSplit(byte[] blob, Btf base) {
    return new Btf(blob, base);
  }

  /** Reads a file, refusing one larger than {@link #MAX_BYTES} before reading it. */
  public static byte[] load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new BtfException(0, "the file has " + size + " bytes, more than any BTF ("
          + MAX_BYTES + ")");
    }
    try (var in = Files.newInputStream(file)) {
      // sysfs files may report a size that is not their length: read to the end, bounded
      byte[] b = in.readNBytes((int) MAX_BYTES + 1);
      if (b.length > MAX_BYTES) {
        throw new BtfException(MAX_BYTES, "the file is longer than any BTF (" + MAX_BYTES + ")");
      }
      return b;
    }
  }

  /** The base of split BTF, or null. */
  public Btf base() {
    return base;
  }

  /** One more than the largest type id (void, 0, included). */
  public int count() {
    return firstId + types.length;
  }

  /** The first type id this blob defines (1, or the base's count for split BTF). */
  public int firstId() {
    return firstId;
  }

  public ByteOrder order() {
    return reader.order();
  }

  public BtfType type(int id) {
    if (id == 0) {
      return new BtfType.Void();
    }
    if (id < firstId && base != null) {
      return base.type(id);
    }
    if (id < firstId || id >= count()) {
      throw new IllegalArgumentException("no BTF type id " + id + " (ids run 0.." + (count() - 1)
          + ")");
    }
    return types[id - firstId];
  }

  /** The byte offset of a type's record in its own blob (for messages). */
  public long offsetOf(int id) {
    return id >= firstId && id < count() ? offsets[id - firstId]
        : base != null && id > 0 && id < firstId ? base.offsetOf(id) : 0;
  }

  /** Every type of this blob (not the base's), in id order. */
  public List<BtfType> ownTypes() {
    return List.of(types);
  }

  /** The types named name, this blob's first, then the base's. */
  public List<BtfType> named(String name) {
    List<BtfType> r = new ArrayList<>();
    for (int id : byName.getOrDefault(name, List.of())) {
      r.add(type(id));
    }
    if (base != null) {
      r.addAll(base.named(name));
    }
    return r;
  }

  /** The first type named name of one of the kinds, in the kinds' order of preference. */
  public Optional<BtfType> find(String name, BtfKind... kinds) {
    List<BtfType> all = named(name);
    for (BtfKind k : kinds) {
      for (BtfType t : all) {
        if (t.kind() == k) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  /** A data section by name, e.g. {@code .data..percpu}. */
  public Optional<BtfType.DataSec> dataSec(String name) {
    return find(name, BtfKind.DATASEC).map(BtfType.DataSec.class::cast);
  }

  /** The type id behind typedefs and qualifiers. */
  public int resolve(int id) {
    BtfType t = type(id);
    while (t instanceof BtfType.Ref r && r.kind().isModifier()) {
      t = type(r.type());
    }
    return t.id();
  }

  /** How deep a type's chain of references runs (1 for a type that refers to nothing). */
  public int depth(int id) {
    return id >= firstId ? depth[id - firstId] : base != null && id > 0 ? base.depth(id) : 1;
  }

  /**
   * sizeof the type in bytes: a pointer is the ABI's {@link #pointerSize()}, an array its
   * elements', void and functions 0. An array whose size does not fit a long is refused.
   */
  public long sizeOf(int id) {
    BtfType t = type(id);
    if (t instanceof BtfType.Int i) {
      return i.size();
    } else if (t instanceof BtfType.Float f) {
      return f.size();
    } else if (t instanceof BtfType.Composite c) {
      return c.size();
    } else if (t instanceof BtfType.Enum e) {
      return e.size();
    } else if (t instanceof BtfType.DataSec d) {
      return d.size();
    } else if (t instanceof BtfType.Ref r) {
      return r.kind() == BtfKind.PTR ? pointerSize() : sizeOf(r.type());
    } else if (t instanceof BtfType.Var v) {
      return sizeOf(v.type());
    } else if (t instanceof BtfType.Array a) {
      return arraySize(a);
    }
    return 0;
  }

  private long arraySize(BtfType.Array a) {
    try {
      return Math.multiplyExact(a.nelems(), sizeOf(a.element()));
    } catch (ArithmeticException e) {
      throw new BtfException(offsetOf(a.id()), "array type " + a.id() + " of " + a.nelems()
          + " elements is larger than any address space");
    }
  }

  /**
   * The ABI's pointer size: sizeof(long), which BTF records as an INT (as libbpf's
   * determine_ptr_size finds it); 0 when the blob defines no long.
   */
  public int pointerSize() {
    for (String n : List.of("long int", "long unsigned int", "unsigned long")) {
      Optional<BtfType> t = find(n, BtfKind.INT);
      if (t.isPresent()) {
        return ((BtfType.Int) t.get()).size();
      }
    }
    return base != null ? base.pointerSize() : 0;
  }

  int stringsLength() {
    return reader.stringsLength();
  }

  String string(int off) {
    return reader.string(off, 0);
  }
}
