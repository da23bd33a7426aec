package kstack.lang.expr;

import kstack.layout.CType;
import kstack.machine.Machine;
import kstack.mem.MemoryFault;

/**
 * Reads of simulated memory on behalf of expressions, through the selected CPU's address space (so a
 * user address means the current process's), with faults turned into errors at a column.
 */
final class Mem {
  private Mem() {}

  /** The scalar (integer or pointer) of type at addr, sign-extended for signed integers. */
  static long scalar(Machine m, long addr, CType type, int col) {
    int size = type.size();
    if (size != 1 && size != 2 && size != 4 && size != 8) {
      throw new ExprError(col, CTypes.name(type) + " is not a scalar value");
    }
    long raw = guard(col, () -> m.inspector().read(addr, size));
    return type instanceof CType.Int i ? CTypes.normalize(raw, i) : raw;
  }

  static byte[] bytes(Machine m, long addr, int len, int col) {
    return guard(col, () -> m.inspector().readBytes(addr, len));
  }

  /** Runs a read, turning a fault into "cannot access memory at address 0x...". */
  static <T> T guard(int col, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (MemoryFault f) {
      throw fault(col, f);
    }
  }

  static ExprError fault(int col, MemoryFault f) {
    String where = f.guard() != null ? " (guard page " + f.guard().name() + ")" : "";
    return new ExprError(col, String.format("cannot access memory at address 0x%x%s",
        f.address(), where));
  }

  /** Little-endian scalar of size bytes at off in a buffer, extended per type. */
  static long decode(byte[] b, int off, CType type) {
    long v = 0;
    for (int i = type.size() - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return type instanceof CType.Int i ? CTypes.normalize(v, i) : v;
  }
}
