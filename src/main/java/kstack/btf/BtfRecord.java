package kstack.btf;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One type record: struct btf_type (name_off; info with vlen in bits 0-15, kind in bits 24-28 and
 * kind_flag in bit 31; size or type) and the data its kind appends (include/uapi/linux/btf.h@6.18,
 * Documentation/bpf/btf.rst@6.18 §2.2).
 */
final class BtfRecord {
  private final BtfReader r;
  private final int pos;
  private final int id;
  private final String name;
  private final int vlen;
  private final boolean kflag;
  private final long sizeOrType;
  private final BtfKind kind;

  BtfRecord(BtfReader r, int pos, int id) {
    this.r = r;
    this.pos = pos;
    this.id = id;
    long info = r.u32At(pos + 4);
    int code = (int) (info >>> 24) & 0x1f;
    this.kind = BtfKind.of(code);
    if (kind == null) {
      throw new BtfException(pos + 4, "type " + id + " has unknown kind " + code);
    }
    this.name = r.string(r.u32At(pos), pos);
    this.vlen = (int) (info & 0xffff);
    this.kflag = (info >>> 31) != 0;
    this.sizeOrType = r.u32At(pos + 8);
  }

  /** Adds the type to types and returns the position of the next record. */
  int read(List<BtfType> types) {
    int data = pos + 12;
    BtfType t = switch (kind) {
      case INT -> integer(data);
      case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG ->
          new BtfType.Ref(id, kind, name, type(pos + 8));
      case ARRAY -> {
        r.need(data, 12, id, kind);
        yield new BtfType.Array(id, type(data), type(data + 4), r.u32At(data + 8));
      }
      case STRUCT, UNION -> composite(data);
      case ENUM, ENUM64 -> enumeration(data);
      case FWD -> new BtfType.Fwd(id, name, kflag);
      case FUNC -> new BtfType.Func(id, name, type(pos + 8), vlen);
      case FUNC_PROTO -> proto(data);
      case VAR -> {
        r.need(data, 4, id, kind);
        yield new BtfType.Var(id, name, type(pos + 8), r.i32(data));
      }
      case DATASEC -> dataSec(data);
      case FLOAT -> new BtfType.Float(id, name, (int) Math.min(sizeOrType, Integer.MAX_VALUE));
      case DECL_TAG -> {
        r.need(data, 4, id, kind);
        yield new BtfType.DeclTag(id, name, type(pos + 8), r.i32(data));
      }
      case VOID -> throw new BtfException(pos + 4, "type " + id + " has kind 0 (unknown)");
    };
    types.add(t);
    return data + extra();
  }

  /** The bytes the kind appends after struct btf_type. */
  private int extra() {
    return switch (kind) {
      case INT, VAR, DECL_TAG -> 4;
      case ARRAY -> 12;
      case STRUCT, UNION, DATASEC, ENUM64 -> 12 * vlen;
      case ENUM, FUNC_PROTO -> 8 * vlen;
      default -> 0;
    };
  }

  /** A type id field; it is range-checked once every type is read (Btf's validation). */
  private int type(int at) {
    long t = r.u32At(at);
    if (t > Integer.MAX_VALUE) {
      throw new BtfException(at, "type " + id + " refers to type id " + t + ", out of range");
    }
    return (int) t;
  }

  private int size() {
    return (int) Math.min(sizeOrType, Integer.MAX_VALUE);
  }

  private BtfType integer(int data) {
    r.need(data, 4, id, kind);
    long enc = r.u32At(data);
    int e = (int) (enc >>> 24) & 0x0f;
    return new BtfType.Int(id, name, size(), (e & 1) != 0, (e & 2) != 0, (e & 4) != 0,
        (int) (enc >>> 16) & 0xff, (int) enc & 0xff);
  }

  private BtfType composite(int data) {
    r.need(data, 12L * vlen, id, kind);
    BtfType.Member[] ms = new BtfType.Member[vlen];
    for (int i = 0; i < vlen; i++) {
      int m = data + 12 * i;
      long off = r.u32At(m + 8);
      ms[i] = new BtfType.Member(r.string(r.u32At(m), m), type(m + 4),
          kflag ? off & 0xffffff : off, kflag ? (int) (off >>> 24) : 0);
    }
    return new BtfType.Composite(id, kind, name, sizeOrType, list(ms));
  }

  private BtfType enumeration(int data) {
    boolean e64 = kind == BtfKind.ENUM64;
    int step = e64 ? 12 : 8;
    r.need(data, (long) step * vlen, id, kind);
    BtfType.Enumerator[] vs = new BtfType.Enumerator[vlen];
    for (int i = 0; i < vlen; i++) {
      int at = data + step * i;
      long v = e64 ? r.u32At(at + 4) | r.u32At(at + 8) << 32
          : kflag ? r.i32(at + 4) : r.u32At(at + 4);
      vs[i] = new BtfType.Enumerator(r.string(r.u32At(at), at), v);
    }
    return new BtfType.Enum(id, kind, name, size(), kflag, list(vs));
  }

  private BtfType proto(int data) {
    r.need(data, 8L * vlen, id, kind);
    BtfType.Param[] ps = new BtfType.Param[vlen];
    for (int i = 0; i < vlen; i++) {
      int at = data + 8 * i;
      ps[i] = new BtfType.Param(r.string(r.u32At(at), at), type(at + 4));
    }
    return new BtfType.FuncProto(id, type(pos + 8), list(ps));
  }

  private BtfType dataSec(int data) {
    r.need(data, 12L * vlen, id, kind);
    BtfType.SecVar[] vs = new BtfType.SecVar[vlen];
    for (int i = 0; i < vlen; i++) {
      int at = data + 12 * i;
      vs[i] = new BtfType.SecVar(type(at), r.u32At(at + 4), r.u32At(at + 8));
    }
    return new BtfType.DataSec(id, name, sizeOrType, list(vs));
  }

  /** An unmodifiable view of a freshly filled array (no second copy of a 100k-member blob). */
  private static <T> List<T> list(T[] a) {
    return Collections.unmodifiableList(Arrays.asList(a));
  }
}
