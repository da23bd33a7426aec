package kstack.gdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.image.Symbol;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.StructLayout;

/**
 * DWARF 4 type information (.debug_info and .debug_abbrev, DWARF 4 spec sections 5 and 7) for every
 * struct the profile models, with its members at their offsets, and for the typed kernel objects
 * (init_task, ...), so that gdb's {@code ptype struct pt_regs} and {@code p init_task.comm} answer
 * with the profile's layouts. One compile unit; every type is a DIE referenced with DW_FORM_ref4.
 */
final class Dwarf {
  // abbreviation codes
  private static final int CU = 1, BASE = 2, PTR = 3, VOID_PTR = 4, STRUCT = 5, MEMBER = 6,
      ARRAY = 7, SUBRANGE = 8, DECL = 9, VARIABLE = 10;

  private final int addressSize;
  private final Map<String, StructLayout> structs;
  /** Every type, by its C name, in the order first met (the DIE order). */
  private final Map<String, CType> types = new LinkedHashMap<>();
  private final List<Symbol> variables = new ArrayList<>();
  private Map<String, Integer> offsets = new LinkedHashMap<>();

  Dwarf(int addressSize, Map<String, StructLayout> structs, List<Symbol> objects) {
    this.addressSize = addressSize;
    this.structs = structs;
    types.put("long unsigned int", new CType.Int("long unsigned int", addressSize, false));
    structs.keySet().stream().sorted().forEach(n -> collect(new CType.Struct(structs.get(n))));
    for (Symbol s : objects) {
      if (s.type() != null) {
        collect(s.type());
        variables.add(s);
      }
    }
  }

  private void collect(CType t) {
    if (t instanceof CType.Named n && structs.containsKey(n.structName())) {
      t = new CType.Struct(structs.get(n.structName()));
    }
    if (t instanceof CType.Void || types.containsKey(t.name())) {
      return; // void is no DIE: a pointer to it is a pointer_type without DW_AT_type
    }
    types.put(t.name(), t);
    if (t instanceof CType.Ptr p) {
      collect(p.target());
    } else if (t instanceof CType.Array a) {
      collect(a.element());
    } else if (t instanceof CType.Struct s) {
      s.layout().fields().forEach(f -> collect(f.type()));
    }
  }

  byte[] abbrev() {
    Bytes b = new Bytes();
    abbrev(b, CU, 0x11, true, 0x25, 0x08, 0x13, 0x05, 0x03, 0x08);
    abbrev(b, BASE, 0x24, false, 0x03, 0x08, 0x0b, 0x0b, 0x3e, 0x0b);
    abbrev(b, PTR, 0x0f, false, 0x0b, 0x0b, 0x49, 0x13);
    abbrev(b, VOID_PTR, 0x0f, false, 0x0b, 0x0b);
    abbrev(b, STRUCT, 0x13, true, 0x03, 0x08, 0x0b, 0x0f);
    abbrev(b, MEMBER, 0x0d, false, 0x03, 0x08, 0x49, 0x13, 0x38, 0x0f);
    abbrev(b, ARRAY, 0x01, true, 0x49, 0x13);
    abbrev(b, SUBRANGE, 0x21, false, 0x49, 0x13, 0x2f, 0x0f);
    abbrev(b, DECL, 0x13, false, 0x03, 0x08, 0x3c, 0x19);
    abbrev(b, VARIABLE, 0x34, false, 0x03, 0x08, 0x49, 0x13, 0x3f, 0x19, 0x02, 0x18);
    return b.u8(0).toArray();
  }

  /** One abbreviation: code, tag, children flag, then (attribute, form) pairs. */
  private static void abbrev(Bytes b, int code, int tag, boolean children, int... attrForms) {
    b.uleb(code).uleb(tag).u8(children ? 1 : 0);
    for (int v : attrForms) {
      b.uleb(v);
    }
    b.u8(0).u8(0);
  }

  /** .debug_info: laid out twice, the second time with every DIE's offset known. */
  byte[] info(String producer) {
    info(producer, false);
    return info(producer, true);
  }

  private byte[] info(String producer, boolean final_) {
    Map<String, Integer> at = new LinkedHashMap<>();
    Bytes b = new Bytes();
    b.u32(0).u16(4).u32(0).u8(addressSize); // header; unit_length patched below
    b.uleb(CU).str(producer).u16(0x0c).str("kstack-profile.c"); // DW_LANG_C99
    for (CType t : types.values()) {
      at.put(t.name(), b.size());
      die(b, t);
    }
    for (Symbol s : variables) {
      b.uleb(VARIABLE).str(s.name()).u32(ref(s.type())).bytes(location(s.address()));
    }
    b.u8(0);
    byte[] out = b.toArray();
    int len = out.length - 4;
    for (int i = 0; i < 4; i++) {
      out[i] = (byte) (len >>> (8 * i));
    }
    if (!final_) {
      offsets = at;
    }
    return out;
  }

  private byte[] location(long address) {
    Bytes e = new Bytes().u8(0x03).word(address, addressSize); // DW_OP_addr
    byte[] expr = e.toArray();
    return new Bytes().uleb(expr.length).bytes(expr).toArray();
  }

  private int ref(CType t) {
    if (t instanceof CType.Named n && structs.containsKey(n.structName())) {
      t = new CType.Struct(structs.get(n.structName()));
    }
    return offsets.getOrDefault(t.name(), 0);
  }

  private void die(Bytes b, CType t) {
    if (t instanceof CType.Int i) {
      b.uleb(BASE).str(i.name()).u8(i.size()).u8(encoding(i));
    } else if (t instanceof CType.Ptr p && p.target() instanceof CType.Void) {
      b.uleb(VOID_PTR).u8(p.size());
    } else if (t instanceof CType.Ptr p) {
      b.uleb(PTR).u8(p.size()).u32(ref(p.target()));
    } else if (t instanceof CType.Array a) {
      b.uleb(ARRAY).u32(ref(a.element())).uleb(SUBRANGE)
          .u32(ref(types.get("long unsigned int"))).uleb(Math.max(0, a.length() - 1)).u8(0);
    } else if (t instanceof CType.Struct s) {
      struct(b, s.layout());
    } else if (t instanceof CType.Named n) {
      b.uleb(DECL).str(n.structName());
    }
  }

  private void struct(Bytes b, StructLayout l) {
    b.uleb(STRUCT).str(l.name()).uleb(l.size());
    for (Field f : l.fields()) {
      b.uleb(MEMBER).str(f.name()).u32(ref(f.type())).uleb(f.offset());
    }
    b.u8(0);
  }

  /** DW_ATE_boolean, signed_char, unsigned_char, signed or unsigned. */
  private static int encoding(CType.Int i) {
    if (i.name().equals("_Bool") || i.name().equals("bool")) {
      return 0x02;
    }
    if (i.size() == 1 && i.name().contains("char")) {
      return i.signed() ? 0x06 : 0x08;
    }
    return i.signed() ? 0x05 : 0x07;
  }
}
