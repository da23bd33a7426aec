package kstack.lang.expr;

import kstack.layout.CType;
import kstack.machine.Machine;
import kstack.mem.MemoryFault;

/**
 * The gdb/C expression language of the {@code p} and {@code x} commands (and of command arguments
 * such as {@code syscall write(4, "hi")}): C operators and casts over the machine's registers, the
 * image's symbols with their C types, per-CPU variables, the profile's constants and the kernel's
 * own helpers ({@code current}, {@code task_pt_regs()}, {@code per_cpu()} ...). Evaluating never
 * changes the machine.
 */
public final class Expressions {
  private Expressions() {}

  /** Parses and evaluates text against the machine. Throws ExprError on any problem. */
  public static Value eval(String text, Machine m) {
    return eval(text, m, new Variables());
  }

  /** As {@link #eval(String, Machine)}, with a session's value history and convenience variables. */
  public static Value eval(String text, Machine m, Variables vars) {
    if (text == null) {
      throw new ExprError(1, "empty expression");
    }
    return guard(() -> {
      Node n = Parser.parse(text);
      Value v = new Evaluator(m, vars).eval(n);
      touch(v, Evaluator.readCol(n), m);
      return v;
    });
  }

  /**
   * Evaluates a comma-separated argument list such as {@code 4, "hi", 2} (commas inside strings and
   * calls do not split); columns in errors are within text. Empty text gives an empty list.
   */
  public static java.util.List<Value> evalList(String text, Machine m) {
    if (text == null) {
      return java.util.List.of();
    }
    return guard(() -> {
      java.util.List<Value> out = new java.util.ArrayList<>();
      for (Node n : Parser.parseList(text)) {
        Value v = new Evaluator(m, new Variables()).eval(n);
        touch(v, Evaluator.readCol(n), m);
        out.add(v);
      }
      return out;
    });
  }

  /**
   * A value used as an address ({@code x ADDR}, {@code struct NAME ADDR}, {@code info symbol}): its
   * bits at the width of a pointer of the profile, so {@code x/wx -1} on i386 reads 0xffffffff and
   * a signed int never sign-extends into a 64-bit address.
   */
  public static long address(Value v, Machine m) {
    return guard(() -> CTypes.truncate(v.asLong(), m.arch().types().word));
  }

  /**
   * gdb-like rendering for {@code p}: fmt 0 natural, 'x' hex, 'd' signed decimal, 'u' unsigned,
   * 'o' octal, 't' binary, 'c' character, 'a' address and symbol.
   */
  public static String format(Value v, char fmt, Machine m) {
    return guard(() -> new Formatter(m, fmt).top(v));
  }

  /** The object of type t whose bytes are b (a watchpoint's old and new value), as p prints it. */
  public static String formatBytes(byte[] b, CType t, Machine m) {
    return guard(() -> new Formatter(m, (char) 0).ofBytes(b, t));
  }

  /**
   * JSON-ready form: integers and pointers as "0x..." lowercase hex (two's complement at the type's
   * width for negatives), char arrays and strings as String, structs as LinkedHashMap of members,
   * other arrays as List.
   */
  public static Object toJson(Value v, Machine m) {
    return guard(() -> Json.of(v, m));
  }

  /** A type as gdb spells it (for whatis): "struct task_struct *", "unsigned long (*)[2048]". */
  public static String typeName(CType type) {
    return CTypes.name(type);
  }

  /**
   * The type text names when it is a C type name ({@code struct pt_regs}, {@code unsigned long *}),
   * or null when it is an expression; what {@code ptype} and {@code whatis} accept besides values.
   */
  public static CType typeOf(String text, Machine m) {
    return guard(() -> {
      Node.TypeName t = Parser.typeOnly(text);
      return t == null ? null : new CTypes(m).resolve(t);
    });
  }

  /** A struct known only by its name, laid out; any other type as it is. */
  public static CType complete(CType t, Machine m) {
    return guard(() -> new CTypes(m).complete(t, 1));
  }

  /** A C declaration of name with type t: "char comm[16]", "struct list_head *next". */
  public static String declaration(CType t, String name) {
    return CTypes.declaration(t, name);
  }

  /** "x86_64 4.16": how error messages name the image. */
  static String imageName(Machine m) {
    return m.profile().arch() + " " + m.profile().kernel();
  }

  /**
   * Reads the object an lvalue result denotes once, so that an expression naming unmapped memory
   * fails here, at the column of the part that named it, rather than later while printing.
   */
  private static void touch(Value v, int col, Machine m) {
    if (v instanceof Value.LValue lv) {
      CType t = lv.type();
      if (t instanceof CType.Int || t instanceof CType.Ptr) {
        Mem.scalar(m, lv.address(), t, col);
      } else if (t.size() > 0) {
        Mem.bytes(m, lv.address(), t.size(), col);
      }
    }
  }

  /** Only ExprError leaves this package, whatever the machine throws underneath. */
  private static <T> T guard(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (ExprError e) {
      throw e;
    } catch (MemoryFault f) {
      throw Mem.fault(1, f);
    } catch (StackOverflowError e) {
      throw new ExprError(1, "expression nested too deeply");
    } catch (RuntimeException e) {
      String msg = e.getMessage();
      throw new ExprError(1, msg == null ? "internal error: " + e.getClass().getSimpleName() : msg);
    }
  }
}
