package kstack.btf;

import java.util.List;

/**
 * One BTF type, by kind (struct btf_type and the data that follows it, include/uapi/linux/btf.h).
 * Every reference to another type is its type id; 0 is void. Names are "" where the type has none.
 */
public sealed interface BtfType {
  int id();

  BtfKind kind();

  String name();

  /** The type ids this one refers to (members, element, target, parameters...). */
  List<Integer> refs();

  /** The implicit void, type id 0. */
  record Void() implements BtfType {
    public int id() {
      return 0;
    }

    public BtfKind kind() {
      return BtfKind.VOID;
    }

    public String name() {
      return "void";
    }

    public List<Integer> refs() {
      return List.of();
    }
  }

  /**
   * An integer: its size in bytes, and the encoding word's signedness, char and bool flags, bit
   * offset and number of bits (BTF_INT_ENCODING, BTF_INT_OFFSET, BTF_INT_BITS).
   */
  record Int(int id, String name, int size, boolean signed, boolean isChar, boolean isBool,
      int bitOffset, int bits) implements BtfType {
    public BtfKind kind() {
      return BtfKind.INT;
    }

    public List<Integer> refs() {
      return List.of();
    }
  }

  /** A floating-point type of size bytes. */
  record Float(int id, String name, int size) implements BtfType {
    public BtfKind kind() {
      return BtfKind.FLOAT;
    }

    public List<Integer> refs() {
      return List.of();
    }
  }

  /**
   * A type that refers to one other: PTR, TYPEDEF, VOLATILE, CONST, RESTRICT or TYPE_TAG (a
   * pointer's size is the target ABI's, which BTF does not record in the pointer itself).
   */
  record Ref(int id, BtfKind kind, String name, int type) implements BtfType {
    public List<Integer> refs() {
      return List.of(type);
    }
  }

  /** An array of nelems elements (struct btf_array). */
  record Array(int id, int element, int indexType, long nelems) implements BtfType {
    public BtfKind kind() {
      return BtfKind.ARRAY;
    }

    public String name() {
      return "";
    }

    public List<Integer> refs() {
      return List.of(element, indexType);
    }
  }

  /**
   * A member of a struct or union (struct btf_member): its offset in bits from the start, and for
   * a bitfield its width in bits (0: not a bitfield). With the kind_flag set the offset word holds
   * both (BTF_MEMBER_BIT_OFFSET, BTF_MEMBER_BITFIELD_SIZE); without it, a bitfield's width is its
   * INT type's bits.
   */
  record Member(String name, int type, long bitOffset, int bitfieldSize) {}

  /** A struct or union of size bytes. */
  record Composite(int id, BtfKind kind, String name, long size, List<Member> members)
      implements BtfType {
    public List<Integer> refs() {
      return members.stream().map(Member::type).toList();
    }

    public boolean isUnion() {
      return kind == BtfKind.UNION;
    }
  }

  /** One enumerator (struct btf_enum, struct btf_enum64). */
  record Enumerator(String name, long value) {}

  /** An ENUM or ENUM64 of size bytes; kind_flag says whether its values are signed. */
  record Enum(int id, BtfKind kind, String name, int size, boolean signed,
      List<Enumerator> values) implements BtfType {
    public List<Integer> refs() {
      return List.of();
    }
  }

  /** A forward declaration of a struct or (kind_flag) a union. */
  record Fwd(int id, String name, boolean union) implements BtfType {
    public BtfKind kind() {
      return BtfKind.FWD;
    }

    public List<Integer> refs() {
      return List.of();
    }
  }

  /** A function: its prototype and linkage (0 static, 1 global, 2 extern). */
  record Func(int id, String name, int proto, int linkage) implements BtfType {
    public BtfKind kind() {
      return BtfKind.FUNC;
    }

    public List<Integer> refs() {
      return List.of(proto);
    }
  }

  /** A parameter of a prototype (struct btf_param); type 0 as the last one is "...". */
  record Param(String name, int type) {}

  /** A function prototype: return type and parameters. */
  record FuncProto(int id, int returnType, List<Param> params) implements BtfType {
    public BtfKind kind() {
      return BtfKind.FUNC_PROTO;
    }

    public String name() {
      return "";
    }

    public List<Integer> refs() {
      List<Integer> r = new java.util.ArrayList<>(params.size() + 1);
      r.add(returnType);
      params.forEach(p -> r.add(p.type()));
      return r;
    }
  }

  /** A global or static variable (struct btf_var): its type and linkage. */
  record Var(int id, String name, int type, int linkage) implements BtfType {
    public BtfKind kind() {
      return BtfKind.VAR;
    }

    public List<Integer> refs() {
      return List.of(type);
    }
  }

  /** A variable's place in a data section (struct btf_var_secinfo). */
  record SecVar(int type, long offset, long size) {}

  /** A data section (.data..percpu, .bss, ...) of size bytes and the variables in it. */
  record DataSec(int id, String name, long size, List<SecVar> vars) implements BtfType {
    public BtfKind kind() {
      return BtfKind.DATASEC;
    }

    public List<Integer> refs() {
      return vars.stream().map(SecVar::type).toList();
    }
  }

  /**
   * A declaration tag (__attribute__((btf_decl_tag))) on a type, or on one of its members or
   * parameters (componentIdx >= 0); -1 tags the type itself.
   */
  record DeclTag(int id, String name, int type, int componentIdx) implements BtfType {
    public BtfKind kind() {
      return BtfKind.DECL_TAG;
    }

    public List<Integer> refs() {
      return List.of(type);
    }
  }
}
