package kstack.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Writes a routine step by step. For C functions the ABI's prologue (frame pointer, locals, spilled
 * parameters) is put in front and every {@code ret} tears the frame down, so the stack holds the real
 * frames an unwinder expects; assembly routines get exactly the steps written.
 *
 * <p>Names are checked before anything runs. Parameters and locals are {@link Local} handles (each
 * building class declares {@code enum L implements Local { ... }} with the C names): {@link #build}
 * fixes each handle's frame slot, so {@code x.get(L.p)} is an array index, and a result local that
 * is not declared fails the build. Jump and branch labels are resolved to step indices by
 * {@link #build} (an undefined one fails it). Direct call targets ({@link #call}, {@link #callInto},
 * {@link #tailCall}, {@link #callWithStackArgs}) are recorded as {@link CallSite}s that the image
 * linker resolves to addresses: a missing target fails the link naming caller and callee.
 *
 * <p>Argument counts: a call site declares its arguments as {@link Args#of} one function per
 * argument ({@code Args.of(x -> x.get(L.p), x -> 0)}), so their number is known here and the linker
 * compares it with the callee's {@link Routine#arity()} (params plus unspilled params) when the
 * callee is a C or user function that starts at the called address. Not checked: calls to assembly
 * routines (they declare no prototype), {@link Args#inPlace()} (assembly that set up the arguments
 * itself), {@link Args#computed} (a vector whose length only the running step knows) and calls
 * through a computed address ({@link #callVia}).
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
  private final List<Local> handles = new ArrayList<>();
  private final List<CallSite> calls = new ArrayList<>();
  private final Map<String, int[]> jumpTargets = new HashMap<>();
  private int params;
  private int unspilled;
  private boolean asmlinkage;

  /** The texts of the steps a call statement compiles to after the call itself. */
  private static final String CALLER_POPS = "addl $4*N, %esp: drop the arguments pushed for the call";
  private static final String STACK_ARGS_DROPPED = "drop the argument(s) passed on the stack, if any";
  private static final String RESULT_STORE = " = returned value";

  /**
   * Whether a step of this text finishes the call statement before it (the caller's pop of the
   * pushed arguments, the store of the result) rather than starting a C statement of its own:
   * what C-level {@code step} and {@code next} group into one line.
   */
  public static boolean continuesCall(String text) {
    return text.equals(CALLER_POPS) || text.equals(STACK_ARGS_DROPPED)
        || text.endsWith(RESULT_STORE);
  }

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
  private final java.util.Set<String> needed = new java.util.LinkedHashSet<>();

  /** Parameters, spilled to the first frame slots by the prologue (as gcc -O0 does). */
  public RoutineBuilder params(Local... names) {
    params(names(names));
    handles.addAll(List.of(names));
    return this;
  }

  private static String[] names(Local... handles) {
    String[] n = new String[handles.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = handles[i].name();
    }
    return n;
  }

  private RoutineBuilder params(String... names) {
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
  public RoutineBuilder unspilledParams(Local... names) {
    return unspilledParams(names(names));
  }

  private RoutineBuilder unspilledParams(String... names) {
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

  /** Locals, in the frame slots after the parameters (the order gcc -O0 would give them). */
  public RoutineBuilder locals(Local... names) {
    locals(names(names));
    handles.addAll(List.of(names));
    return this;
  }

  private RoutineBuilder locals(String... names) {
    slots.addAll(List.of(names));
    return this;
  }

  /**
   * Reserves a struct-sized area among the locals (e.g. an on-stack {@code struct completion} or
   * {@code struct kernel_clone_args}); {@code name} addresses its lowest byte.
   */
  public RoutineBuilder localArea(Local name, int bytes) {
    localArea(name.name(), bytes);
    handles.add(name);
    return this;
  }

  private RoutineBuilder localArea(String name, int bytes) {
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
  public RoutineBuilder call(String text, String target, Args args) {
    args = args == null ? Args.inPlace() : args;
    return emitCall(text, site(target, args), args, null);
  }

  /** Calls a function and stores its result into a local. */
  public RoutineBuilder callInto(Local local, String text, String target, Args args) {
    needed.add(local.name());
    return emitCall(text, site(target, args), args, local);
  }

  /** An indirect call through a computed address (a function pointer). */
  public RoutineBuilder callVia(String text, ToLongFunction<Exec> target, Args args) {
    return emitCall(text, new Callee(target, null), args == null ? Args.inPlace() : args, null);
  }

  /** An indirect call whose result is stored into a local. */
  public RoutineBuilder callVia(String text, ToLongFunction<Exec> target, Args args,
      Local resultLocal) {
    if (resultLocal != null) {
      needed.add(resultLocal.name());
    }
    args = args == null ? Args.inPlace() : args;
    return emitCall(text, new Callee(target, null), args, resultLocal);
  }

  /**
   * Where a call step goes: a direct call's {@link CallSite} (its address fixed by the linker) or
   * a function computing the address when the step runs.
   */
  private record Callee(ToLongFunction<Exec> address, CallSite site) {
    /** How many leading arguments go in registers: a direct call asks its callee once. */
    int registerArgs(Exec x, long to) {
      return site != null ? site.registerArgs(x) : CallSite.registerArgs(x, to);
    }
  }

  private Callee site(String target, Args args) {
    args = args == null ? Args.inPlace() : args;
    CallSite s = new CallSite(name, target, args.count());
    calls.add(s);
    return new Callee(x -> s.address(), s);
  }

  private RoutineBuilder emitCall(String text, Callee callee, Args args, Local result) {
    long[] buffer = args.buffer();
    ToLongFunction<Exec> target = callee.address();
    if (!abi.callerPopsArgs()) {
      // every argument this ABI passes travels in a register (none of its functions takes stack
      // parameters): no callee is asked, nothing is popped after the return
      body.add(new Insn(text, x -> {
        long[] a = args.into(x, buffer);
        long to = target.applyAsLong(x);
        int n = x.cpu().registers().argCount();
        for (int i = a.length - 1; i >= n; i--) {
          x.push(a[i]);
        }
        for (int i = 0; i < Math.min(n, a.length); i++) {
          x.setArg(i, a[i]);
        }
        x.call(to);
      }));
    } else {
      body.add(new Insn(text, x -> {
        long[] a = args.into(x, buffer);
        long to = target.applyAsLong(x);
        int n = callee.registerArgs(x, to);
        for (int i = a.length - 1; i >= n; i--) {
          x.push(a[i]);
        }
        for (int i = 0; i < Math.min(n, a.length); i++) {
          x.setArg(i, a[i]);
        }
        x.call(to);
      }));
      int known = args.length();
      body.add(new Insn(CALLER_POPS, x -> {
        int count = known >= 0 ? known : args.values(x).length;
        int onStack = Math.max(0, count - callee.registerArgs(x, target.applyAsLong(x)));
        x.setSp(x.sp() + (long) onStack * x.word());
      }));
    }
    if (result != null) {
      body.add(new Insn(result.name() + RESULT_STORE, x -> x.set(result, x.retval())));
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
  public RoutineBuilder tailCall(String text, String target, Args args) {
    args = args == null ? Args.inPlace() : args;
    return tailCallVia(text, site(target, args).address(), args);
  }

  /** A sibling call through a computed address (a switch's case, a function pointer). */
  public RoutineBuilder tailCallVia(String text, ToLongFunction<Exec> target, Args args) {
    Args given = args == null ? Args.inPlace() : args;
    Op[] teardown = abi.epilogue().subList(0, abi.epilogue().size() - 1).stream().map(Insn::op)
        .toArray(Op[]::new);
    boolean framed = kind != Routine.Kind.ASM && !frameless;
    boolean pops = abi.callerPopsArgs();
    long[] buffer = given.buffer();
    body.add(new Insn(text, x -> {
      long[] a = given.into(x, buffer);
      if (a.length > x.cpu().registers().argCount() || pops) {
        throw new IllegalStateException(name + ": a sibling call passes its arguments in registers");
      }
      for (int i = 0; i < a.length; i++) {
        x.setArg(i, a[i]);
      }
      if (framed) {
        for (Op t : teardown) {
          t.exec(x);
        }
      }
      x.jumpTo(target.applyAsLong(x));
    }));
    return this;
  }

  /** A call with arguments beyond the argument registers: the caller pops them after the return. */
  public RoutineBuilder callWithStackArgs(String text, String target, Args args, int stackArgs) {
    emitCall(text, site(target, args), args, null);
    if (abi.callerPopsArgs()) {
      return this; // emitCall already pops
    }
    int known = args.length();
    body.add(new Insn(STACK_ARGS_DROPPED, x -> {
      int count = known >= 0 ? known : args.values(x).length;
      int onStack = Math.max(0, count - x.cpu().registers().argCount());
      x.setSp(x.sp() + (long) onStack * x.word());
    }));
    return this;
  }

  public RoutineBuilder branchIf(String label, String text, Predicate<Exec> cond) {
    int[] to = jumpTarget(label);
    body.add(new Insn(text, x -> {
      if (cond.test(x)) {
        x.jumpToStep(to[0]);
      }
    }));
    return this;
  }

  public RoutineBuilder jump(String label, String text) {
    int[] to = jumpTarget(label);
    body.add(new Insn(text, x -> x.jumpToStep(to[0])));
    return this;
  }

  /** The step index a label will have, filled in by {@link #build}. */
  private int[] jumpTarget(String label) {
    return jumpTargets.computeIfAbsent(label, l -> new int[] {-1});
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
    for (String t : jumpTargets.keySet()) {
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
    for (Map.Entry<String, int[]> e : jumpTargets.entrySet()) {
      e.getValue()[0] = shifted.get(e.getKey());
    }
    Routine r = new Routine(name, source, kind, all, shifted, locals,
        locals.isEmpty() ? List.of() : handles, shift, globals, onStack, params + unspilled, calls);
    r.spilledParams(locals.isEmpty() ? 0 : params);
    return r;
  }
}
