package kstack.lang.expr;

import java.nio.charset.StandardCharsets;
import kstack.layout.CType;
import kstack.machine.Machine;

/**
 * The result of evaluating an expression, as C sees it: an integer or pointer rvalue, a function in the
 * kernel image, an object in simulated memory (an lvalue, which is read when its value is needed, so a
 * struct is never copied out of memory), or a string literal (which has no address in the machine; the
 * command layer passes its text on, e.g. as a system call's buffer).
 */
public sealed interface Value {
  CType type();

  /** The scalar value: an integer, a pointer's address, or (for an lvalue) what memory holds now. */
  long asLong();

  /** An integer rvalue; {@code value} is truncated to the type's width and extended per its sign. */
  record Int(long value, CType type) implements Value {
    public Int {
      if (type instanceof CType.Int i) {
        value = CTypes.normalize(value, i);
      }
    }

    public long asLong() {
      return value;
    }
  }

  /**
   * A pointer rvalue; {@code type} is a {@link CType.Ptr}. An address is as wide as a pointer of the
   * profile and never sign-extends past it (0xc1000000 on i386 is not 0xffffffffc1000000).
   */
  record Pointer(long address, CType type) implements Value {
    public Pointer {
      address = CTypes.truncate(address, type.size());
    }

    public long asLong() {
      return address;
    }

    public CType target() {
      return ((CType.Ptr) type).target();
    }
  }

  /** A function of the image (a FUNC symbol, or $rip): prints as {@code 0x... <name+off>}. */
  record Code(long address, CType type) implements Value {
    public Code {
      address = CTypes.truncate(address, type.size());
    }

    public long asLong() {
      return address;
    }
  }

  /** An object of {@code type} at {@code address} in the selected CPU's view of memory. */
  record LValue(long address, CType type, Machine machine) implements Value {
    /** The address wraps at the pointer width, as the CPU's address arithmetic does. */
    public LValue {
      address = CTypes.truncate(address, machine.arch().types().word);
    }

    /** Reads a scalar; an array gives its address (it decays), a struct has no scalar value. */
    public long asLong() {
      if (type instanceof CType.Array) {
        return address;
      }
      if (type instanceof CType.Struct || type instanceof CType.Named || type instanceof CType.Void) {
        throw new ExprError(1, CTypes.name(type) + " is not a scalar value");
      }
      return Mem.scalar(machine, address, type, 1);
    }

    @Override
    public String toString() {
      return "LValue[" + CTypes.name(type) + " at 0x" + Long.toHexString(address) + "]";
    }
  }

  /**
   * The entries of a kernel list as {@code list_for_each_entry()} visits them: values (a pointer to
   * each entry, or one member of each), not one object in memory; {@code type} is an array of the
   * element type. It prints as gdb prints an array, {@code [i]} picks one, {@code ->member} and
   * {@code .member} take that member of every entry.
   */
  record Seq(java.util.List<Value> items, CType type) implements Value {
    public long asLong() {
      throw new ExprError(1, "the entries of a list have no scalar value (pick one: [0])");
    }
  }

  /** A string literal such as {@code "hi\n"}; its C type is {@code char [len+1]}. */
  record Str(String text) implements Value {
    public CType type() {
      return new CType.Array(new CType.Int("char", 1, true), bytes().length + 1);
    }

    public long asLong() {
      throw new ExprError(1, "a string literal has no numeric value");
    }

    /** The literal's bytes (ISO-8859-1, one byte per char, as the escapes produce). */
    public byte[] bytes() {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
