package kstack.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Writes a routine step by step. For C functions the ABI's prologue (frame pointer, locals, spilled
 * parameters) is put in front and every {@code ret} tears the frame down, so the stack holds the real
 * frames an unwinder expects; assembly routines get exactly the steps written.
 */
public final class RoutineBuilder {
  private final String name;
  private final String source;
  private final Routine.Kind kind;
  private final Abi abi;
  private final List<Insn> body = new ArrayList<>();
  private final Map<String, Integer> labels = new HashMap<>();
  private final java.util.Set<String> globals = new java.util.LinkedHashSet<>();
  private final List<String> slots = new ArrayList<>();
  private int params;
  private int unspilled;
  private boolean asmlinkage;

  private RoutineBuilder(String name, String source, Routine.Kind kind, Abi abi) {
    this.name = name;
    this.source = source;
    this.kind = kind;
    this.abi = abi;
  }

  public static RoutineBuilder asm(String name, String source, Abi abi) {
    return new RoutineBuilder(name, source, Routine.Kind.ASM, abi);
  }

  public static RoutineBuilder c(String name, String source, Abi abi) {
    return new RoutineBuilder(name, source, Routine.Kind.C, abi);
  }

  public static RoutineBuilder user(String name, String source, Abi abi) {
    return new RoutineBuilder(name, source, Routine.Kind.USER, abi);
  }

  /** User-space code written without a frame, like crt1's _start. */
  public static RoutineBuilder userAsm(String name, String source, Abi abi) {
    RoutineBuilder b = new RoutineBuilder(name, source, Routine.Kind.USER, abi);
    b.frameless = true;
    return b;
  }

  private boolean frameless;
  private final java.util.Set<String> needed = new java.util.HashSet<>();
  private final java.util.Set<String> targets = new java.util.HashSet<>();

  /** Parameters, spilled to the first frame slots by the prologue (as gcc -O0 does). */
  public RoutineBuilder params(String... names) {
    if (!body.isEmpty() || !slots.isEmpty()) {
      throw new IllegalStateException("params come first");
    }
    params = names.length;
    slots.addAll(List.of(names));
    return this;
  }

  /**
   * Parameters of the C prototype beyond those {@link #params} spills: the body reads them where
   * the calling convention put them (sum8's g and h). They count in the function's arity.
   */
  public RoutineBuilder unspilledParams(String... names) {
    unspilled = names.length;
    return this;
  }

  /**
   * Marks the function asmlinkage: on i386 (regparm(0)) its callers pass every argument on the stack
   * (include/linux/linkage.h, arch/x86/include/asm/linkage.h); elsewhere this changes nothing.
   */
  public RoutineBuilder asmlinkage() {
    asmlinkage = true;
    return this;
  }

  public RoutineBuilder locals(String... names) {
    slots.addAll(List.of(names));
    return this;
  }

  /**
   * Reserves a struct-sized area among the locals (e.g. an on-stack {@code struct completion} or
   * {@code struct kernel_clone_args}); {@code name} addresses its lowest byte.
   */
  public RoutineBuilder localArea(String name, int bytes) {
    int w = abi.wordSize();
    int n = (bytes + w - 1) / w;
    for (int i = 0; i < n - 1; i++) {
      slots.add(name + "#" + i);
    }
    slots.add(name);
    return this;
  }

  public RoutineBuilder label(String label) {
    labels.put(label, body.size());
    return this;
  }

  /** A label that is also a global symbol, like entry_SYSCALL_64_after_hwframe. */
  public RoutineBuilder globalLabel(String label) {
    globals.add(label);
    return label(label);
  }

  public RoutineBuilder step(String text, Op op) {
    body.add(new Insn(text, op));
    return this;
  }

  /** Calls a function with integer arguments; the result is left in the return register. */
  public RoutineBuilder call(String text, String target, Function<Exec, long[]> args) {
    return callVia(text, x -> x.symbol(target), args, null);
  }

  /** Calls a function and stores its result into a local. */
  public RoutineBuilder callInto(String local, String text, String target,
      Function<Exec, long[]> args) {
    return callVia(text, x -> x.symbol(target), args, local);
  }

  /** An indirect call through a computed address (a function pointer). */
  public RoutineBuilder callVia(String text, ToLongFunction<Exec> target,
      Function<Exec, long[]> args, String resultLocal) {
    body.add(new Insn(text, x -> {
      long[] a = args == null ? new long[0] : args.apply(x);
      long to = target.applyAsLong(x);
      int n = registerArgs(x, to);
      for (int i = a.length - 1; i >= n; i--) {
        x.push(a[i]);
      }
      for (int i = 0; i < Math.min(n, a.length); i++) {
        x.setArg(i, a[i]);
      }
      x.call(to);
    }));
    if (abi.callerPopsArgs()) {
      body.add(new Insn("addl $4*N, %esp: drop the arguments pushed for the call", x -> {
        long[] a = args == null ? new long[0] : args.apply(x);
        int onStack = Math.max(0, a.length - registerArgs(x, target.applyAsLong(x)));
        x.setSp(x.sp() + (long) onStack * x.word());
      }));
    }
    if (resultLocal != null) {
      needed.add(resultLocal);
      body.add(new Insn(resultLocal + " = returned value", x -> x.setLocal(resultLocal, x.retval())));
    }
    return this;
  }

  /**
   * A sibling call: {@code return f(args)} compiled, as gcc -O2 does with -foptimize-sibling-calls,
   * into the epilogue's frame teardown and a jump. f then returns straight to this function's
   * caller, and no frame of this function is on the stack while f runs. Only register arguments
   * can travel this way (gcc gives up the sibling call when the callee needs more stack argument
   * space than the caller got); the step keeps the source's {@code return f(args)} in its text.
   */
  public RoutineBuilder tailCall(String text, String target, Function<Exec, long[]> args) {
    return tailCallVia(text, x -> x.symbol(target), args);
  }

  /** A sibling call through a computed address (a switch's case, a function pointer). */
  public RoutineBuilder tailCallVia(String text, ToLongFunction<Exec> target,
      Function<Exec, long[]> args) {
    List<Insn> teardown = abi.epilogue().subList(0, abi.epilogue().size() - 1);
    boolean framed = kind != Routine.Kind.ASM && !frameless;
    body.add(new Insn(text, x -> {
      long[] a = args == null ? new long[0] : args.apply(x);
      if (a.length > x.cpu().registers().argCount() || abi.callerPopsArgs()) {
        throw new IllegalStateException(name + ": a sibling call passes its arguments in registers");
      }
      for (int i = 0; i < a.length; i++) {
        x.setArg(i, a[i]);
      }
      if (framed) {
        for (Insn t : teardown) {
          t.op().exec(x);
        }
      }
      x.jumpTo(target.applyAsLong(x));
    }));
    return this;
  }

  /** How many leading arguments a call to target passes in registers. */
  static int registerArgs(Exec x, long target) {
    if (!x.host().abi().callerPopsArgs()) {
      return x.cpu().registers().argCount(); // no function of this ABI takes stack parameters
    }
    Routine callee = x.host().routineAt(target);
    return callee != null && callee.paramsOnStack() ? 0 : x.cpu().registers().argCount();
  }

  /** A call with arguments beyond the argument registers: the caller pops them after the return. */
  public RoutineBuilder callWithStackArgs(String text, String target, Function<Exec, long[]> args,
      int stackArgs) {
    callVia(text, x -> x.symbol(target), args, null);
    if (abi.callerPopsArgs()) {
      return this; // callVia already pops
    }
    body.add(new Insn("drop the argument(s) passed on the stack, if any", x -> {
      int onStack = Math.max(0, args.apply(x).length - x.cpu().registers().argCount());
      x.setSp(x.sp() + (long) onStack * x.word());
    }));
    return this;
  }

  public RoutineBuilder branchIf(String label, String text, Predicate<Exec> cond) {
    targets.add(label);
    body.add(new Insn(text, x -> {
      if (cond.test(x)) {
        x.jump(label);
      }
    }));
    return this;
  }

  public RoutineBuilder jump(String label, String text) {
    targets.add(label);
    body.add(new Insn(text, x -> x.jump(label)));
    return this;
  }

  /** Sets the return value and returns through the ABI's epilogue. */
  public RoutineBuilder ret(String text, ToLongFunction<Exec> value) {
    body.add(new Insn(text, x -> x.setRetval(value.applyAsLong(x))));
    body.addAll(abi.epilogue());
    return this;
  }

  public RoutineBuilder retVoid() {
    body.addAll(abi.epilogue());
    return this;
  }

  public Routine build() {
    for (String t : targets) {
      if (!labels.containsKey(t)) {
        throw new IllegalStateException(name + ": jump to undefined label '" + t + "'");
      }
    }
    for (String n : needed) {
      if (!slots.contains(n)) {
        throw new IllegalStateException(name + ": result local '" + n + "' is not declared");
      }
    }
    List<Insn> all = new ArrayList<>();
    int shift = 0;
    List<String> locals = new ArrayList<>();
    boolean onStack = kind != Routine.Kind.ASM && abi.paramsOnStack(kind, asmlinkage);
    if (kind != Routine.Kind.ASM && !frameless) {
      all.addAll(onStack ? abi.prologue(params, slots.size(), true)
          : abi.prologue(params, slots.size()));
      shift = all.size();
      locals.addAll(slots);
    }
    all.addAll(body);
    Map<String, Integer> shifted = new HashMap<>();
    for (Map.Entry<String, Integer> e : labels.entrySet()) {
      shifted.put(e.getKey(), e.getValue() + shift);
    }
    return new Routine(name, source, kind, all, shifted, locals, shift, globals, onStack,
        params + unspilled);
  }
}
