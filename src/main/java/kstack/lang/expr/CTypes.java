package kstack.lang.expr;

import java.util.Map;
import java.util.Set;
import kstack.layout.CType;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.machine.Machine;

/**
 * The C types an expression can name, resolved against one machine: the ABI's scalar types (from the
 * arch's {@link Types}, so names and sizes match the struct layouts), the kernel's u8..u64/s8..s64
 * typedefs, and the structs the profile lays out. Also gdb-style type spelling and value normalising.
 */
final class CTypes {
  private static final Set<String> TYPEDEFS = Set.of("u8", "u16", "u32", "u64", "s8", "s16", "s32",
      "s64", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64", "size_t",
      "ssize_t", "uintptr_t", "pid_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
      "int16_t", "int32_t", "int64_t");

  /** Sizes and signedness of the fixed-width names (the word-sized ones are added per machine). */
  private static final Map<String, int[]> FIXED = Map.ofEntries(
      Map.entry("signed char", new int[] {1, 1}), Map.entry("unsigned char", new int[] {1, 0}),
      Map.entry("short", new int[] {2, 1}), Map.entry("unsigned short", new int[] {2, 0}),
      Map.entry("unsigned int", new int[] {4, 0}), Map.entry("long long", new int[] {8, 1}),
      Map.entry("unsigned long long", new int[] {8, 0}), Map.entry("bool", new int[] {1, 0}),
      Map.entry("s8", new int[] {1, 1}), Map.entry("s16", new int[] {2, 1}),
      Map.entry("s32", new int[] {4, 1}), Map.entry("s64", new int[] {8, 1}),
      Map.entry("uint8_t", new int[] {1, 0}), Map.entry("uint16_t", new int[] {2, 0}),
      Map.entry("uint32_t", new int[] {4, 0}), Map.entry("uint64_t", new int[] {8, 0}),
      Map.entry("int8_t", new int[] {1, 1}), Map.entry("int16_t", new int[] {2, 1}),
      Map.entry("int32_t", new int[] {4, 1}), Map.entry("int64_t", new int[] {8, 1}));

  private final Machine m;
  private final Types t;

  CTypes(Machine m) {
    this.m = m;
    this.t = m.arch().types();
  }

  static boolean isTypedef(String word) {
    return TYPEDEFS.contains(word);
  }

  CType ulong() {
    return t.ulong;
  }

  CType slong() {
    return t.slong;
  }

  CType intT() {
    return t.s32;
  }

  CType voidPtr() {
    return t.voidp;
  }

  CType ptr(CType target) {
    return new CType.Ptr(target, t.word);
  }

  /** The struct type named structName, or an error at col. */
  CType.Struct struct(String structName, int col) {
    StructLayout s = m.struct(structName);
    var lacks = kstack.profile.Generations.whyMissing(m.profile(), "struct " + structName);
    if (lacks.isPresent()) {
      throw new ExprError(col, "no struct " + structName + " in this profile: " + lacks.get());
    }
    if (s == null) {
      throw new ExprError(col, "no struct " + structName + " in the " + Expressions.imageName(m)
          + " image (known: " + String.join(", ", m.structs().keySet()) + ")");
    }
    return new CType.Struct(s);
  }

  /** A written type name as a CType of this machine. */
  CType resolve(Node.TypeName n) {
    CType base = base(n.base(), n.col());
    for (int i = 0; i < n.pointers(); i++) {
      base = ptr(base);
    }
    return base;
  }

  private CType base(String name, int col) {
    if (name.startsWith("struct ")) {
      return struct(name.substring(7), col);
    }
    switch (name) {
      case "void":
        return new CType.Void();
      case "char":
        return t.charT;
      case "int":
      case "__s32":
        return t.s32;
      case "long":
      case "ssize_t":
        return t.slong;
      case "unsigned long":
      case "size_t":
      case "uintptr_t":
        return t.ulong;
      case "pid_t":
        return new CType.Int("pid_t", 4, true);
      case "u8":
      case "__u8":
        return t.u8;
      case "u16":
      case "__u16":
        return t.u16;
      case "u32":
      case "__u32":
        return t.u32;
      case "u64":
      case "__u64":
        return t.u64;
      default:
        break;
    }
    String plain = name.startsWith("__") ? name.substring(2) : name;
    int[] f = FIXED.get(plain);
    if (f == null) {
      throw new ExprError(col, "unknown type " + name);
    }
    return new CType.Int(plain, f[0], f[1] == 1);
  }

  /** A struct known only by name (a self-referencing pointer's target) laid out, or an error. */
  CType complete(CType type, int col) {
    if (type instanceof CType.Named n) {
      return struct(n.structName(), col);
    }
    return type;
  }

  /** Size in bytes of a pointer's target for pointer arithmetic: void and functions count 1 (gcc). */
  int strideOf(CType.Ptr p, int col) {
    CType target = complete(p.target(), col);
    return target instanceof CType.Void ? 1 : target.size();
  }

  // ---- spelling and normalising ---------------------------------------------------------------

  /** A type as gdb spells it: "struct task_struct *", "unsigned long (*)[2048]", "char [16]". */
  static String name(CType type) {
    return declarator(type, "");
  }

  private static String declarator(CType type, String inner) {
    if (type instanceof CType.Ptr p) {
      String star = "*" + inner;
      return declarator(p.target(), p.target() instanceof CType.Array ? "(" + star + ")" : star);
    }
    if (type instanceof CType.Array a) {
      return declarator(a.element(), inner + "[" + a.length() + "]");
    }
    if (inner.isEmpty()) {
      return type.name();
    }
    return type.name() + " " + inner;
  }

  /** The 64-bit value an integer of this type holds after truncation to its size. */
  static long normalize(long v, CType.Int type) {
    int bits = type.size() * 8;
    if (bits >= 64) {
      return v;
    }
    return type.signed() ? (v << (64 - bits)) >> (64 - bits) : v & ((1L << bits) - 1);
  }

  /** The low size bytes of v, as an unsigned value (what /x shows). */
  static long truncate(long v, int size) {
    return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
  }

  static boolean isCharType(CType type) {
    return type instanceof CType.Int i && i.size() == 1 && i.name().endsWith("char");
  }

  static boolean isUnsigned(CType type) {
    return !(type instanceof CType.Int i) || !i.signed();
  }
}
