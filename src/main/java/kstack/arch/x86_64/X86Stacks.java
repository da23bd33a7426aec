package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import kstack.kernel.Kernel;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import kstack.stack.StackRange;

/**
 * The stacks an x86_64 CPU's frames can be on: the task's, and while it runs its CPU's IRQ
 * stack, entry (trampoline) stack and IST stacks, named as the kernel's stack dumps name them.
 */
final class X86Stacks {
  private X86Stacks() {}

  /**
   * The task's stack and, while it runs, its CPU's IRQ, entry and IST stacks, the ones
   * get_stack_info knows (dumpstack_64.c@4.16.13:107-151); which addresses are on them: StackRange.
   */
  static List<StackRange> ranges(Kernel k, X86_64 arch, long task, int cpu, boolean running) {
    long stack = k.stacks.stack(task);
    List<StackRange> r = new ArrayList<>();
    r.add(StackRange.of(StackKind.TASK, stack, stack + k.threadSize));
    if (!running) {
      return r;
    }
    long[] irq = arch.boot.irqStack(k, cpu);
    if (irq != null) {
      r.add(StackRange.of(StackKind.IRQ, irq[0], irq[1]));
    }
    long[] entry = arch.boot.entryStack(k, cpu);
    if (entry != null) {
      r.add(StackRange.of(StackKind.ENTRY, entry[0], entry[1]));
    }
    r.addAll(istRanges(k, arch, cpu));
    return r;
  }

  /**
   * The IST stacks of cpu, named as exception_stack_names in dumpstack_64.c names them.
   */
  private static List<StackRange> istRanges(Kernel k, X86_64 arch, int cpu) {
    String[] names = {"#DF stack", "NMI stack", "#DB stack", "#MC stack"};
    List<StackRange> r = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      long[] ist = istStack(k, arch, cpu, i);
      r.add(new StackRange(StackKind.EXCEPTION, names[i], ist[0], ist[1]));
    }
    return r;
  }

  /** IST slot i's whole stack on cpu, [low, high): 2.6.32's exception_stacks or the newer estacks. */
  static long[] istStack(Kernel k, X86_64 arch, int cpu, int i) {
    return arch.exceptions.istStack(k, cpu, i);
  }

  /**
   * Names each exception-stack frame's stack after its IST slot, as the kernel's stack dumps do
   * (exception_stack_names in arch/x86/kernel/dumpstack_64.c: #DF, NMI, #DB, #MC). A frame without a
   * record address is one of the innermost and lies at rsp.
   */
  static List<Frame> named(Kernel k, X86_64 arch, List<Frame> frames, int cpu, long rsp) {
    List<StackRange> ists = istRanges(k, arch, cpu);
    List<Frame> out = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      StackRange on = f.stack() == StackKind.EXCEPTION
          ? StackRange.find(ists, f.frameAddr() != 0 ? f.frameAddr() : rsp) : null;
      out.add(on == null ? f : f.named(on.name()));
    }
    return out;
  }

}
