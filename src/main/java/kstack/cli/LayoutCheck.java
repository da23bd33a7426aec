package kstack.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kstack.btf.Btf;
import kstack.btf.BtfKind;
import kstack.btf.BtfMembers;
import kstack.btf.BtfType;
import kstack.image.Symbol;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/**
 * The profile's layouts against a kernel's BTF, item by item: every struct the profile models
 * (member by member: offset and size), every per-CPU variable it places in .data..percpu (offset
 * in the section and size), and the stack sizes that the kernel's types fix. The model's own
 * offsets come from its layouts (kstack.layout), the kernel's from its BTF.
 */
final class LayoutCheck {
  enum Verdict {
    EQUAL("equal"), DIFFERENT("different"), ABSENT_IN_KERNEL("absent in the kernel"),
    ABSENT_IN_MODEL("absent in the model");

    final String text;

    Verdict(String text) {
      this.text = text;
    }
  }

  /** One compared item: a struct, a member, a variable or a size, with what each side says. */
  record Item(String section, String name, Verdict verdict, String detail, List<Item> parts) {}

  /**
   * Model constants whose value is the size of a kernel type: the type's declaration fixes it
   * (union thread_union's stack[THREAD_SIZE/sizeof(long)], include/linux/sched.h@6.18; x86's
   * struct irq_stack { char stack[IRQ_STACK_SIZE]; } and union irq_stack_union (4.x),
   * arch/x86/include/asm/processor.h@6.18 and @4.16; struct entry_stack's words or page,
   * same header).
   */
  static final List<String[]> SIZES = List.of(
      new String[] {"THREAD_SIZE", "union thread_union"},
      new String[] {"IRQ_STACK_SIZE", "struct irq_stack"},
      new String[] {"IRQ_STACK_SIZE", "union irq_stack_union"},
      new String[] {"ENTRY_STACK_SIZE", "struct entry_stack"});

  static final String PERCPU = ".data..percpu";

  private final Machine m;
  private final Btf btf;
  private final BtfMembers members;

  LayoutCheck(Machine m, Btf btf) {
    this.m = m;
    this.btf = btf;
    this.members = new BtfMembers(btf);
  }

  List<Item> run() {
    List<Item> out = new ArrayList<>();
    for (StructLayout l : m.structs().values()) {
      out.add(struct(l));
    }
    out.addAll(perCpu());
    out.addAll(sizes());
    return out;
  }

  private Item struct(StructLayout l) {
    String name = "struct " + l.name();
    Optional<BtfType> k = btf.find(l.name(), BtfKind.STRUCT, BtfKind.UNION);
    if (k.isEmpty()) {
      return new Item("structs", name, Verdict.ABSENT_IN_KERNEL, "model " + l.size()
          + " bytes; the kernel has no such struct", List.of());
    }
    BtfType.Composite c = (BtfType.Composite) k.get();
    List<Item> parts = new ArrayList<>();
    boolean equal = c.size() == l.size();
    for (Field f : l.fields()) {
      Item i = member(c, f);
      equal &= i.verdict() == Verdict.EQUAL;
      parts.add(i);
    }
    Set<String> modelled = new HashSet<>();
    l.fields().forEach(f -> modelled.add(f.name()));
    List<String> missing = members.names(c.id()).stream().filter(n -> !modelled.contains(n))
        .toList();
    if (!missing.isEmpty()) {
      parts.add(new Item("structs", missing.size() + " kernel member" + (missing.size() == 1
          ? "" : "s"), Verdict.ABSENT_IN_MODEL, String.join(", ", missing), List.of()));
    }
    String sizes = c.size() == l.size() ? c.size() + " bytes"
        : "model " + l.size() + " bytes, kernel " + c.size() + " bytes";
    return new Item("structs", name, equal ? Verdict.EQUAL : Verdict.DIFFERENT, sizes, parts);
  }

  private Item member(BtfType.Composite c, Field f) {
    Optional<BtfMembers.Found> found = members.find(c.id(), f.name());
    String model = "model " + f.offset() + "/" + f.size();
    if (found.isEmpty()) {
      return new Item("structs", f.name(), Verdict.ABSENT_IN_KERNEL, model, List.of());
    }
    BtfMembers.Found k = found.get();
    if (k.bitfieldSize() != 0) {
      return new Item("structs", f.name(), Verdict.DIFFERENT, model + ", kernel a "
          + k.bitfieldSize() + "-bit bitfield at bit " + k.bitOffset(), List.of());
    }
    String at = k.byteOffset() + "/" + k.size();
    if (k.byteOffset() == f.offset() && k.size() == f.size()) {
      return new Item("structs", f.name(), Verdict.EQUAL, "offset/size " + at, List.of());
    }
    // pt_regs' cs and ss became a u16 in an anonymous union with csx/ssx (6.x, FRED): a model
    // that stores the whole slot matches when the union's slot is the model's member
    BtfType.Composite h = k.holder();
    if (h != null && h.isUnion() && k.holderOffset() == f.offset() && h.size() == f.size()
        && k.byteOffset() == f.offset()) {
      return new Item("structs", f.name(), Verdict.EQUAL, "offset/size " + f.offset() + "/"
          + f.size() + "; the kernel's " + k.size() + "-byte " + f.name() + " shares an "
          + h.size() + "-byte anonymous union", List.of());
    }
    return new Item("structs", f.name(), Verdict.DIFFERENT, model + ", kernel " + at,
        List.of());
  }

  private List<Item> perCpu() {
    List<Item> out = new ArrayList<>();
    List<Symbol> vars = m.symbols().all().stream()
        .filter(s -> s.kind() == Symbol.Kind.PERCPU)
        .sorted(java.util.Comparator.comparingLong(Symbol::address)).toList();
    if (vars.isEmpty()) {
      return out;
    }
    long start = m.symbols().has("__per_cpu_start") ? m.symbols().get("__per_cpu_start").address()
        : 0;
    Map<String, BtfType.SecVar> kernel = new java.util.LinkedHashMap<>();
    btf.dataSec(PERCPU).ifPresent(sec -> sec.vars().forEach(v -> {
      if (btf.type(v.type()) instanceof BtfType.Var var) {
        kernel.put(var.name(), v);
      }
    }));
    for (Symbol s : vars) {
      long off = s.address() - start;
      String model = String.format("model offset %#x size %d", off, s.size());
      BtfType.SecVar k = kernel.remove(s.name());
      if (k == null) {
        out.add(new Item("per-CPU variables", s.name(), Verdict.ABSENT_IN_KERNEL, model,
            List.of()));
        continue;
      }
      boolean eq = k.offset() == off && k.size() == s.size();
      out.add(new Item("per-CPU variables", s.name(), eq ? Verdict.EQUAL : Verdict.DIFFERENT,
          eq ? String.format("offset %#x size %d", off, s.size())
              : String.format("%s, kernel offset %#x size %d", model, k.offset(), k.size()),
          List.of()));
    }
    if (!kernel.isEmpty()) {
      out.add(new Item("per-CPU variables", kernel.size() + " kernel variable"
          + (kernel.size() == 1 ? "" : "s"), Verdict.ABSENT_IN_MODEL,
          String.join(", ", kernel.keySet()), List.of()));
    }
    return out;
  }

  private List<Item> sizes() {
    List<Item> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String[] s : SIZES) {
      Long model = constant(s[0]);
      if (model == null || done.contains(s[0])) {
        continue;
      }
      List<String> types = SIZES.stream().filter(x -> x[0].equals(s[0])).map(x -> x[1]).toList();
      Optional<String> present = types.stream().filter(t -> kernelType(t).isPresent()).findFirst();
      done.add(s[0]);
      if (present.isEmpty()) {
        out.add(new Item("stack sizes", s[0], Verdict.ABSENT_IN_KERNEL, "model " + model
            + " bytes; the kernel's BTF has no " + String.join(" nor ", types), List.of()));
        continue;
      }
      long ks = btf.sizeOf(kernelType(present.get()).get().id());
      out.add(new Item("stack sizes", s[0] + " = sizeof(" + present.get() + ")", ks == model
          ? Verdict.EQUAL : Verdict.DIFFERENT, ks == model ? model + " bytes"
          : "model " + model + " bytes, kernel " + ks + " bytes", List.of()));
    }
    return out;
  }

  private Optional<BtfType> kernelType(String decl) {
    String[] kt = decl.split(" ");
    return btf.find(kt[1], kt[0].equals("union") ? BtfKind.UNION : BtfKind.STRUCT);
  }

  private Long constant(String name) {
    try {
      return m.kernel().image.constant(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
