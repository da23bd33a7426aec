package kstack.lang.expr;

import kstack.cpu.RegisterSet;
import kstack.image.Symbol;
import kstack.layout.CType;
import kstack.machine.Machine;

/**
 * What a bare name means, looked up the way the kernel's own source would resolve it: {@code current}
 * (the get_current() macro), symbols of the image (functions, objects with their C types, linker
 * labels, per-CPU variables as this CPU's instance), per-CPU names the arch defines as macros
 * ({@code cpu_current_top_of_stack} on 4.16 is a field of cpu_tss_rw), and the profile's constants
 * (THREAD_SIZE, PAGE_SIZE ...). Registers are gdb's {@code $name}s of the selected CPU.
 */
final class Names {
  private final Machine m;
  private final CTypes types;
  private final java.util.function.Function<String, Long> frameSlot;

  Names(Machine m, CTypes types, java.util.function.Function<String, Long> frameSlot) {
    this.m = m;
    this.types = types;
    this.frameSlot = frameSlot;
  }

  Value identifier(String name, int col) {
    if (name.equals("current")) {
      return task(Helpers.guard(col, m::current));
    }
    var lacks = kstack.profile.Generations.whyMissing(m.profile(), name);
    if (lacks.isPresent()) {
      throw new ExprError(col, "no symbol \"" + name + "\" in this profile: " + lacks.get());
    }
    Symbol s = m.symbols().get(name);
    if (s != null) {
      return symbol(s, col);
    }
    if (isPerCpu(name)) {
      return perCpu(name, m.selectedCpu(), col);
    }
    Long c = m.inspector().constants().get(name);
    if (c != null) {
      return new Value.Int(c, types.ulong());
    }
    if (name.equals("NULL")) {
      return new Value.Pointer(0, types.voidPtr());
    }
    Long slot = frameSlot.apply(name); // a name the image does not define: the selected frame's
    if (slot != null) {
      return new Value.LValue(slot, types.slong(), m);
    }
    throw new ExprError(col, "no symbol \"" + name + "\" in the " + Expressions.imageName(m)
        + " image" + Suggest.hint(name, m.symbols().all().stream().map(Symbol::name).sorted()
            .toList()));
  }

  private Value symbol(Symbol s, int col) {
    switch (s.kind()) {
      case FUNC:
        return new Value.Code(s.address(), types.voidPtr());
      case PERCPU:
        return perCpu(s.name(), m.selectedCpu(), col);
      case OBJECT:
        if (s.type() != null) {
          return new Value.LValue(s.address(), s.type(), m);
        }
        return new Value.Pointer(s.address(), types.voidPtr());
      default:
        // A linker label (__end_init_task, _text) has an address and no type: gdb-style, a void *.
        return new Value.Pointer(s.address(), types.voidPtr());
    }
  }

  boolean isPerCpu(String name) {
    return Helpers.guard(1, () -> m.inspector().isPerCpu(name));
  }

  /**
   * The instance of a per-CPU variable on cpu: its symbol's type, or unsigned long for a name the
   * arch resolves as a macro over another variable's field.
   */
  Value.LValue perCpu(String name, int cpu, int col) {
    var lacks = kstack.profile.Generations.whyMissing(m.profile(), name);
    if (lacks.isPresent()) {
      throw new ExprError(col, "no per-CPU " + name + " in this profile: " + lacks.get());
    }
    Symbol s = m.symbols().get(name);
    boolean known = s != null ? s.kind() == Symbol.Kind.PERCPU : isPerCpu(name);
    if (!known) {
      throw new ExprError(col, name + " is not a per-CPU variable");
    }
    if (cpu < 0 || cpu >= m.cpuCount()) {
      throw new ExprError(col, "no CPU " + cpu + " (this machine has " + m.cpuCount() + ")");
    }
    CType type = s != null && s.type() != null ? s.type() : types.ulong();
    long addr = Helpers.guard(col, () -> m.inspector().perCpuAddress(name, cpu));
    return new Value.LValue(addr, type, m);
  }

  /** A {@code struct task_struct *} value. */
  Value.Pointer task(long addr) {
    return new Value.Pointer(addr, types.ptr(types.struct("task_struct", 1)));
  }

  /** {@code $rax} ...: $rip is code, $rsp and $rbp are data pointers (as gdb types them), the rest long. */
  Value register(String name, int col) {
    RegisterSet regs = m.arch().registers();
    String real = regs.resolve(name);
    if (!regs.has(real)) {
      throw new ExprError(col, "no register $" + name + " on " + m.arch().name()
          + " (registers: $" + String.join(", $", regs.names()) + ")");
    }
    long v = m.cpu(m.selectedCpu()).get(real);
    int index = regs.of(real);
    if (index == regs.pc) {
      return new Value.Code(v, types.voidPtr());
    }
    if (index == regs.sp || index == regs.fp) {
      return new Value.Pointer(v, types.voidPtr());
    }
    return new Value.Int(v, types.slong()); // gdb: rax is long, i386's eax an int: the word
  }
}
