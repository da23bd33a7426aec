package kstack.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kstack.btf.Btf;
import kstack.btf.BtfKind;
import kstack.btf.BtfMembers;
import kstack.btf.BtfType;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.LayoutSource;
import kstack.layout.StructLayout;

/**
 * The profile's layouts as a kernel's BTF has them: every struct the model lays out that the BTF
 * has becomes the kernel's, at the kernel's size, with the model's members (by the model's names)
 * at the kernel's offsets; the kernel's members the model does not use stay padding. Per-CPU
 * variables go at their offsets in the kernel's {@code .data..percpu} DATASEC, and the section is
 * as large as the kernel's. A struct the BTF lacks keeps the model's layout (and is reported).
 * Refused, with the reason: a modelled member of a struct the kernel has that is missing, a
 * bitfield, or of another size; a frame the stack code pushes (pt_regs, inactive_task_frame,
 * fork_frame) of another size, since the model's stack offsets (SIZEOF_PTREGS, the switch and
 * fork frames) are built on the model's size.
 */
public final class BtfLayouts implements LayoutSource {
  /** Structs whose size the model's stack layout is built on: a kernel of another size is refused. */
  static final Set<String> FRAMES = Set.of("pt_regs", "inactive_task_frame", "fork_frame");

  private final Btf btf;
  private final String file;
  private final BtfMembers members;
  private final Map<String, BtfType.SecVar> perCpu = new HashMap<>();
  private final long perCpuSize;
  private final Map<String, StructLayout> done = new HashMap<>();
  private final List<String> modelOnly = new ArrayList<>();
  private final List<String> perCpuModelOnly = new ArrayList<>();
  private int padded;

  public BtfLayouts(Btf btf, String file) {
    this.btf = btf;
    this.file = file;
    this.members = new BtfMembers(btf);
    Optional<BtfType.DataSec> sec = btf.dataSec(".data..percpu");
    sec.ifPresent(s -> s.vars().forEach(v -> {
      if (btf.type(v.type()) instanceof BtfType.Var var) {
        perCpu.put(var.name(), v);
      }
    }));
    this.perCpuSize = sec.map(BtfType.DataSec::size).orElse(0L);
  }

  @Override
  public Map<String, StructLayout> structs(Map<String, StructLayout> model) {
    Map<String, StructLayout> out = new LinkedHashMap<>();
    for (StructLayout l : model.values()) {
      StructLayout k = layout(l, true);
      if (k == l) {
        modelOnly.add("struct " + l.name());
      }
      out.put(l.name(), k);
    }
    return out;
  }

  @Override
  public PerCpu perCpu(String var) {
    BtfType.SecVar v = perCpu.get(var);
    if (v == null) {
      perCpuModelOnly.add(var);
      return null;
    }
    return new PerCpu(v.offset(), v.size());
  }

  @Override
  public long perCpuSize() {
    return perCpuSize;
  }

  /** The model's structs the BTF does not have (kept as modelled), after the machine is built. */
  public List<String> modelOnly() {
    List<String> all = new ArrayList<>(modelOnly);
    perCpuModelOnly.forEach(v -> all.add("per-CPU " + v));
    return all;
  }

  /** How many of the kernel's members of the structs used are padding to the model. */
  public int padded() {
    return padded;
  }

  /**
   * The layout l as the kernel has it; a struct the kernel lacks keeps the model's offsets (its
   * nested structs may still be the kernel's, when that keeps their sizes). top: a struct of the
   * model's own table, whose contradictions are refused; a nested one that does not fit the
   * kernel's stays as modelled.
   */
  private StructLayout layout(StructLayout l, boolean top) {
    StructLayout d = done.get(l.name());
    if (d != null) {
      return d;
    }
    Optional<BtfType> k = btf.find(l.name(), BtfKind.STRUCT, BtfKind.UNION);
    if (k.isEmpty()) {
      return retyped(l);
    }
    try {
      StructLayout r = kernel(l, (BtfType.Composite) k.get());
      done.put(l.name(), r);
      return r;
    } catch (Refused e) {
      if (top) {
        throw e;
      }
      return l;
    }
  }

  private StructLayout kernel(StructLayout l, BtfType.Composite c) {
    List<Field> fields = new ArrayList<>();
    for (Field f : l.fields()) {
      BtfMembers.Found m = members.find(c.id(), f.name()).orElseThrow(() -> refused(l,
          "has no member " + f.name() + ", which the model's step code uses"));
      if (m.bitfieldSize() != 0) {
        throw refused(l, "has " + f.name() + " as a " + m.bitfieldSize() + "-bit bitfield; the "
            + "model reads it as a " + f.size() + "-byte " + f.type().name());
      }
      CType t = retype(f.type());
      if (m.size() != t.size() && !unionSlot(m, t)) {
        throw refused(l, "has " + f.name() + " of " + m.size() + " bytes; the model's is "
            + t.size());
      }
      if (m.byteOffset() + t.size() > c.size()) {
        throw refused(l, "is " + c.size() + " bytes, and its " + f.name() + " at "
            + m.byteOffset() + " ends past that");
      }
      fields.add(new Field(f.name(), (int) m.byteOffset(), t, f.note()));
    }
    if (FRAMES.contains(l.name()) && c.size() != l.size()) {
      throw refused(l, "is " + c.size() + " bytes; the model's stack layout is built on "
          + l.size());
    }
    padded += members.names(c.id()).size() - l.fields().size();
    int align = c.size() % l.align() == 0 ? l.align() : 1;
    return StructLayout.placed(l.name(), "BTF " + file + " (the kernel's " + c.size()
        + " bytes; the model's members at the kernel's offsets)", fields, (int) c.size(), align);
  }

  /** pt_regs' cs/ss in 6.x: a u16 sharing an anonymous union whose slot the model stores whole. */
  private static boolean unionSlot(BtfMembers.Found m, CType t) {
    return m.holder() != null && m.holder().isUnion() && m.holder().size() == t.size()
        && m.holderOffset() == m.byteOffset();
  }

  private StructLayout retyped(StructLayout l) {
    List<Field> fields = new ArrayList<>();
    boolean same = true;
    for (Field f : l.fields()) {
      CType t = retype(f.type());
      if (t.size() != f.size()) {
        throw refused(l, "holds " + f.name() + ", " + f.size() + " bytes in the model and "
            + t.size() + " as the kernel's; the kernel's BTF has no struct " + l.name()
            + " to place it");
      }
      same &= t == f.type();
      fields.add(new Field(f.name(), f.offset(), t, f.note()));
    }
    return same ? l : StructLayout.placed(l.name(), l.source(), fields, l.size(), l.align());
  }

  private CType retype(CType t) {
    if (t instanceof CType.Struct s) {
      StructLayout n = layout(s.layout(), false);
      return n == s.layout() ? t : new CType.Struct(n);
    }
    if (t instanceof CType.Array a) {
      CType e = retype(a.element());
      return e == a.element() ? t : new CType.Array(e, a.length());
    }
    return t; // scalars; pointers reach their struct by name or keep the model's target
  }

  private static Refused refused(StructLayout l, String why) {
    return new Refused("the kernel's struct " + l.name() + " " + why);
  }
}
