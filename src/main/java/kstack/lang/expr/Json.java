package kstack.lang.expr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.machine.Machine;

/**
 * A value as plain JSON-ready Java objects: scalars as "0x..." hex strings of their bytes (so a
 * negative int is its two's complement at the type's width), char arrays and string literals as
 * strings, structs as ordered maps of members, other arrays as lists.
 */
final class Json {
  private Json() {}

  static Object of(Value v, Machine m) {
    if (v instanceof Value.Str s) {
      return s.text();
    }
    if (v instanceof Value.Seq s) {
      List<Object> out = new ArrayList<>();
      for (Value e : s.items()) {
        out.add(of(e, m));
      }
      return out;
    }
    if (v instanceof Value.LValue lv) {
      CType t = lv.type();
      if (t instanceof CType.Int || t instanceof CType.Ptr) {
        return hex(Mem.scalar(m, lv.address(), t, 1), t);
      }
      return aggregate(Mem.bytes(m, lv.address(), t.size(), 1), 0, t);
    }
    return hex(v.asLong(), v.type());
  }

  private static Object aggregate(byte[] b, int off, CType t) {
    if (t instanceof CType.Struct s) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Field f : s.layout().fields()) {
        out.put(f.name(), aggregate(b, off + f.offset(), f.type()));
      }
      return out;
    }
    if (t instanceof CType.Array a) {
      if (CTypes.isCharType(a.element())) {
        int n = 0;
        while (n < a.length() && b[off + n] != 0) {
          n++;
        }
        return new String(b, off, n, StandardCharsets.ISO_8859_1);
      }
      List<Object> out = new ArrayList<>(a.length());
      for (int i = 0; i < a.length(); i++) {
        out.add(aggregate(b, off + i * a.element().size(), a.element()));
      }
      return out;
    }
    return hex(Mem.decode(b, off, t), t);
  }

  private static String hex(long v, CType t) {
    return "0x" + Long.toHexString(CTypes.truncate(v, t.size()));
  }
}
