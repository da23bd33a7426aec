package kstack.btf;

/**
 * The kinds of a BTF type, numbered as the info word's bits 24-28 number them
 * (BTF_KIND_* in include/uapi/linux/btf.h@6.18). Kind 0 is the implicit void of type id 0.
 */
public enum BtfKind {
  VOID, INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC,
  FUNC_PROTO, VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, ENUM64;

  private static final BtfKind[] BY_CODE = values();

  /** The kind with this code, or null for a code the format does not define. */
  public static BtfKind of(int code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Whether the type only qualifies or renames another (typedef, const, volatile, ...). */
  public boolean isModifier() {
    return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT
        || this == TYPE_TAG;
  }
}
