package kstack.arch.x86_64;

import kstack.kernel.Kernel;

/**
 * How an x86_64 CPU delivers an interrupt or exception through the IDT, and the one case the
 * model refuses (an IST exception nested on its own IST stack). The generation's modules say
 * which TSS, which IST stacks and which entry each vector reaches.
 */
final class X86Delivery {
  private X86Delivery() {}

  static String exceptionRefusal(X86_64 arch, Kernel k, int cpu, int vector) {
    int ist = X86Exceptions.istOf(vector);
    if (ist < 0) {
      return null;
    }
    long tss = k.perCpu(arch.boot.tssSymbol(), cpu);
    long top = k.mem.read64(tss + Tss.ist.off(k) + 8L * ist);
    long rsp = k.cpu(cpu).get(Regs.rsp);
    long[] stack = arch.exceptions.istStack(k, cpu, ist);
    if (Long.compareUnsigned(rsp - stack[0], stack[1] - stack[0]) >= 0
        || Long.compareUnsigned(rsp, top) >= 0) {
      return null;
    }
    return String.format("cpu %d is still on this exception's IST stack (rsp 0x%x, below the IST "
        + "entry's top 0x%x): the CPU would push the new frame over the one the running handler "
        + "returns through, and the two would return into each other forever; the kernel keeps "
        + "breakpoints out of its entry code, so this cannot happen there", cpu, rsp, top);
  }

  /**
   * [ARCH] Intel SDM vol. 3, 6.14: in 64-bit mode the CPU aligns RSP to 16, switches to TSS.sp0 on a
   * change from ring 3 (or to an IST stack), then pushes SS, RSP, RFLAGS, CS, RIP; an interrupt gate
   * clears IF. From ring 3 the new SS is the null selector.
   */
  static String deliver(X86_64 arch, Kernel k, int cpu, int vector) {
    var c = k.cpu(cpu);
    var mem = k.mem;
    boolean user = (c.get(Regs.cs) & 3) == 3;
    int ist = X86Exceptions.istOf(vector);
    long tss = k.perCpu(arch.boot.tssSymbol(), cpu);
    long rsp = ist >= 0 ? mem.read64(tss + Tss.ist.off(k) + 8L * ist)
        : user ? mem.read64(tss + Tss.sp0.off(k)) : c.get(Regs.rsp);
    rsp &= -16L;
    long[] frame = {c.get(Regs.ss), c.get(Regs.rsp), c.get(Regs.eflags), c.get(Regs.cs), c.get(Regs.rip)};
    for (long v : frame) {
      rsp -= 8;
      try {
        mem.write64(rsp, v);
      } catch (kstack.mem.MemoryFault f) {
        throw f.duringDelivery(); // TSS.sp0 (2.6.32: from thread.sp0) names no stack
      }
    }
    if (vector == X86Exceptions.NMI_VECTOR) {
      c.set(Regs.nmi_blocked, 1); // [ARCH] SDM 6.7.1: further NMIs wait for the next IRET
    }
    if (vector == X86Exceptions.DF_VECTOR) {
      rsp -= 8;
      mem.write64(rsp, 0); // #DF pushes an error code of 0
    }
    c.set(Regs.rsp, rsp);
    c.set(Regs.eflags, c.get(Regs.eflags) & ~X86_64.EFLAGS_IF);
    c.set(Regs.cs, X86_64.KERNEL_CS);
    if (user) {
      c.set(Regs.ss, 0);
    }
    String named = arch.exceptions.handlerName(vector);
    c.set(Regs.rip, named != null ? k.image.symbol(named) : handlerAddress(arch, k, vector));
    return named != null ? named : handler(arch, vector);
  }

  /** The IDT: which entry a vector reaches. */
  static String handler(X86_64 arch, int vector) {
    if (vector == arch.irq.localTimerVector()) {
      return arch.irq.timerEntry();
    }
    if (vector >= X86Irq.FIRST_EXTERNAL_VECTOR && vector < X86Irq.FIRST_EXTERNAL_VECTOR + X86Irq.STUBS) {
      return "irq_entries_start";
    }
    throw new IllegalArgumentException("no IDT entry is modelled for vector " + vector);
  }

  static long handlerAddress(X86_64 arch, Kernel k, int vector) {
    long a = k.image.symbol(handler(arch, vector));
    if (vector != arch.irq.localTimerVector()) {
      a += 8L * (vector - X86Irq.FIRST_EXTERNAL_VECTOR);
    }
    return a;
  }
}
