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
  /** The name _Bool (and the kernel's bool) resolve to; a conversion to it gives 0 or 1. */
  static final String BOOL = "bool";

  private static final Set<String> TYPEDEFS = Set.of("u8", "u16", "u32", "u64", "s8", "s16", "s32",
      "s64", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64", "size_t",
      "ssize_t", "uintptr_t", "pid_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
      "int16_t", "int32_t", "int64_t");

  /** Sizes and signedness of the fixed-width names (the word-sized ones are added per machine). */
  private static final Map<String, int[]> FIXED = Map.ofEntries(
      Map.entry("signed char", new int[] {1, 1}), Map.entry("unsigned char", new int[] {1, 0}),
      Map.entry("short", new int[] {2, 1}), Map.entry("unsigned short", new int[] {2, 0}),
      Map.entry("unsigned int", new int[] {4, 0}), Map.entry("long long", new int[] {8, 1}),
      Map.entry("unsigned long long", new int[] {8, 0}), Map.entry(BOOL, new int[] {1, 0}),
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

  // ---- the data model: ILP32 on i386 (int, long and pointers 32-bit), LP64 elsewhere --------------

  private static final CType.Int UINT = new CType.Int("unsigned int", 4, false);
  private static final CType.Int LLONG = new CType.Int("long long", 8, true);
  private static final CType.Int ULLONG = new CType.Int("unsigned long long", 8, false);

  /**
   * The type of an integer constant (C11 6.4.4.1): the first of the suffix's list that holds the
   * value. A decimal constant without u stays signed (int, long, long long); an octal or hex one may
   * also take each unsigned type in turn. One too large for every type is unsigned long long, as gcc
   * makes it ("integer constant is so large that it is unsigned").
   */
  CType.Int literal(long v, boolean unsigned, int longs, boolean decimal) {
    CType.Int[] ladder = {(CType.Int) t.s32, UINT, (CType.Int) t.slong, (CType.Int) t.ulong, LLONG,
        ULLONG};
    for (int rank = longs; rank < 3; rank++) {
      CType.Int signed = ladder[2 * rank];
      CType.Int uns = ladder[2 * rank + 1];
      if (!unsigned && fits(v, signed)) {
        return signed;
      }
      if ((unsigned || !decimal) && fits(v, uns)) {
        return uns;
      }
    }
    return ULLONG;
  }

  /** Whether the 64 bits v, read as an unsigned number, are a value of type. */
  private static boolean fits(long v, CType.Int type) {
    int bits = type.size() * 8 - (type.signed() ? 1 : 0);
    return bits >= 64 || (v >>> bits) == 0;
  }

  /** The integer promotions (C11 6.3.1.1): every type narrower than int becomes int. */
  CType.Int promote(CType.Int type) {
    return type.size() < 4 ? (CType.Int) t.s32 : type;
  }

  /**
   * The usual arithmetic conversions (C11 6.3.1.8) of two integer types: after promotion the wider
   * type wins; of two as wide, the higher rank, made unsigned when either is unsigned (a signed type
   * cannot hold every value of an unsigned one of its width).
   */
  CType.Int common(CType.Int a, CType.Int b) {
    CType.Int x = promote(a);
    CType.Int y = promote(b);
    if (x.equals(y)) {
      return x;
    }
    if (x.size() != y.size()) {
      return x.size() > y.size() ? x : y;
    }
    CType.Int hi = rank(x) >= rank(y) ? x : y;
    if (hi.signed() && (!x.signed() || !y.signed())) {
      return rank(hi) == 3 ? ULLONG : rank(hi) == 2 ? (CType.Int) t.ulong : UINT;
    }
    return hi;
  }

  /** C's integer conversion rank among the types of one width: int 1, long 2, long long 3. */
  private static int rank(CType.Int type) {
    String n = type.name();
    if (n.endsWith("long long")) {
      return 3;
    }
    if (n.endsWith("long") || n.equals("size_t") || n.equals("ssize_t") || n.equals("uintptr_t")) {
      return 2;
    }
    return type.size() == 8 ? 3 : 1; // the kernel's u64/s64 are (unsigned) long long (int-ll64.h)
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

  static String declaration(CType type, String name) {
    return declarator(type, name);
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

  /**
   * A conversion to an integer type (C11 6.3.1.2-3): to _Bool, 1 for every non-zero value; to any
   * other type, the value modulo its width (gcc's rule for signed types too).
   */
  static long convert(long v, CType.Int type) {
    return type.name().equals(BOOL) ? (v != 0 ? 1 : 0) : normalize(v, type);
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
