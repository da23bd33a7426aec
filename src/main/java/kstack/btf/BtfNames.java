package kstack.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * C declarations of BTF types, as a C compiler (and pahole) would write them: {@code struct
 * perf_event *ptrace_bps[4]}, {@code int (*threadfn)(void *)}. The chains they follow are the
 * ones {@link BtfGraph} has checked to end, so the recursion is bounded by its depth limit.
 */
public final class BtfNames {
  private final Btf btf;

  public BtfNames(Btf btf) {
    this.btf = btf;
  }

  /** The type's name as a C type: {@code struct list_head}, {@code char *}, {@code u64[7]}. */
  public String typeName(int id) {
    return declare(id, "").strip();
  }

  /** A declaration of name with the type: {@code struct list_head *next}. */
  public String declare(int id, String name) {
    BtfType t = btf.type(id);
    if (t instanceof BtfType.Ref r) {
      return ref(r, name);
    } else if (t instanceof BtfType.Array a) {
      return declare(a.element(), name + "[" + a.nelems() + "]");
    } else if (t instanceof BtfType.FuncProto p) {
      return declare(p.returnType(), name + "(" + params(p) + ")");
    } else if (t instanceof BtfType.Func f) {
      return declare(f.proto(), f.name());
    } else if (t instanceof BtfType.Var v) {
      return declare(v.type(), name.isEmpty() ? v.name() : name);
    }
    return join(specifier(t), name);
  }

  private String ref(BtfType.Ref r, String name) {
    switch (r.kind()) {
      case PTR -> {
        BtfKind target = btf.type(r.type()).kind();
        String inner = "*" + name;
        boolean paren = target == BtfKind.ARRAY || target == BtfKind.FUNC_PROTO;
        return declare(r.type(), paren ? "(" + inner + ")" : inner);
      }
      case TYPEDEF -> {
        return join(r.name(), name);
      }
      case CONST, VOLATILE, RESTRICT -> {
        String q = r.kind().name().toLowerCase();
        BtfKind target = btf.type(r.type()).kind();
        // a qualified pointer binds to the declarator (char *const p); anything else leads
        return target == BtfKind.PTR ? declare(r.type(), " " + q + " " + name)
            : q + " " + declare(r.type(), name);
      }
      default -> {
        return declare(r.type(), name); // TYPE_TAG: an annotation, not part of the C type
      }
    }
  }

  private String params(BtfType.FuncProto p) {
    if (p.params().isEmpty()) {
      return "void";
    }
    List<String> s = new ArrayList<>();
    for (BtfType.Param q : p.params()) {
      s.add(q.type() == 0 ? "..." : declare(q.type(), "").strip());
    }
    return String.join(", ", s);
  }

  /** The specifier of a type that has no declarator of its own. */
  public String specifier(BtfType t) {
    String n = t.name().isEmpty() ? "{...}" : t.name();
    if (t instanceof BtfType.Composite c) {
      return (c.isUnion() ? "union " : "struct ") + n;
    } else if (t instanceof BtfType.Enum) {
      return "enum " + n;
    } else if (t instanceof BtfType.Fwd f) {
      return (f.union() ? "union " : "struct ") + n;
    }
    return t.name().isEmpty() ? t.kind().name().toLowerCase() : t.name();
  }

  private static String join(String spec, String name) {
    return name.isEmpty() ? spec : spec + " " + name;
  }
}
