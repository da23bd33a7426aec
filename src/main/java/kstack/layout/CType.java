package kstack.layout;

/**
 * The C types the layouts and the expression language need: integers, pointers, arrays and structs.
 * Sizes are those of the profile's ABI (LP64 on x86_64), decided when the layout is built.
 */
public sealed interface CType {
  int size();

  int align();

  String name();

  /** An integer scalar such as {@code unsigned long} or {@code u16}. */
  record Int(String name, int size, boolean signed) implements CType {
    public int align() {
      return size;
    }
  }

  /** A pointer; target may be {@link Void} for {@code void *}. */
  record Ptr(CType target, int size) implements CType {
    public int align() {
      return size;
    }

    public String name() {
      return target.name() + " *";
    }
  }

  /** A fixed-size array such as {@code char comm[16]}. */
  record Array(CType element, int length) implements CType {
    public int size() {
      return element.size() * length;
    }

    public int align() {
      return element.align();
    }

    public String name() {
      return element.name() + "[" + length + "]";
    }
  }

  /** A struct type whose layout is data. */
  record Struct(StructLayout layout) implements CType {
    public int size() {
      return layout.size();
    }

    public int align() {
      return layout.align();
    }

    public String name() {
      return "struct " + layout.name();
    }
  }

  /**
   * A struct named but not yet laid out, for self-referencing members such as task_struct's
   * {@code real_parent}; it is resolved by name through the profile's layouts when dereferenced.
   */
  record Named(String structName) implements CType {
    public int size() {
      throw new IllegalStateException("struct " + structName + " used by name only");
    }

    public int align() {
      return 1;
    }

    public String name() {
      return "struct " + structName;
    }
  }

  /** void, only as a pointer target or a function's result. */
  record Void() implements CType {
    public int size() {
      return 1;
    }

    public int align() {
      return 1;
    }

    public String name() {
      return "void";
    }
  }

  static boolean isInteger(CType t) {
    return t instanceof Int;
  }
}
