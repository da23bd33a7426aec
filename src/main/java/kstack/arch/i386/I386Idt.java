package kstack.arch.i386;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import kstack.cpu.Cpu;
import kstack.mem.MemoryFault;

/** The hardware half of an i386 interrupt or exception: the IDT gate's stack switch and frame. */
final class I386Idt {
  private I386Idt() {}

  /** Word access to kernel memory, from a step (Exec) or from outside one (Kernel). */
  interface Words {
    long read(long addr);
  }

  interface WordWrites {
    void write(long addr, long value);
  }

  /** The IDT entry of a vector: int $0x80's, #DB's and #MC's, or the interrupt model's. */
  static String entryOf(int vector, I386EntryModel entry, I386TrapsModel traps, I386IrqModel irq) {
    if (vector == I386.SYSCALL_VECTOR) {
      return entry.int80Entry();
    }
    String trap = traps.handlerName(vector);
    return trap != null ? trap : irq.idtEntry(vector);
  }

  /**
   * [ARCH] Intel SDM vol. 3, 6.12.1: through an interrupt gate from ring 3 the CPU loads SS:ESP from
   * TSS.ss0:esp0 and pushes the old SS and ESP; from ring 0 it stays on the current stack and pushes
   * only EFLAGS, CS, EIP. An interrupt gate clears IF, a trap gate leaves it (trapGate: 2.4's
   * int $0x80, which set_system_gate makes a type-15 trap gate, traps.c@2.4.22:824-827,987, so
   * system calls run with interrupts on); no alignment is done in 32-bit mode.
   */
  static String deliver(Cpu c, int vector, Words mem, WordWrites out, ToLongFunction<String> symbol,
      String handler, long kernelCs, long kernelDs, boolean trapGate) {
    boolean user = (c.get(Regs.cs) & 3) == 3;
    long sp = c.get(Regs.esp);
    List<Long> frame = new ArrayList<>();
    if (user) {
      sp = mem.read(c.get(Regs.tr_base) + 4); // TSS.sp0 (x86_hw_tss: back_link, __blh, then sp0)
      frame.add(c.get(Regs.ss));
      frame.add(c.get(Regs.esp));
    }
    frame.add(c.get(Regs.eflags));
    frame.add(c.get(Regs.cs));
    frame.add(c.get(Regs.eip));
    for (long v : frame) {
      sp -= 4;
      try {
        out.write(sp, v);
      } catch (MemoryFault f) {
        throw f.duringDelivery(); // TSS.sp0 names no stack: the CPU cannot push the frame
      }
    }
    if (vector == I386Irq.NMI_VECTOR) {
      c.set(Regs.nmi_blocked, 1);
    }
    c.set(Regs.esp, sp);
    if (!trapGate) {
      c.set(Regs.eflags, c.get(Regs.eflags) & ~I386.EFLAGS_IF);
    }
    c.set(Regs.cs, kernelCs);
    if (user) {
      c.set(Regs.ss, kernelDs);
    }
    c.set(Regs.eip, symbol.applyAsLong(handler)
        + (handler.equals("irq_entries_start") ? I386Irq.stubOffset(vector) : 0));
    return handler;
  }

  /**
   * [ARCH] SYSENTER: CPL 0 with CS = IA32_SYSENTER_CS, SS = CS + 8, ESP = IA32_SYSENTER_ESP,
   * EIP = IA32_SYSENTER_EIP; IF and VM cleared; nothing is pushed.
   */
  static void sysenter(kstack.exec.Exec x) {
    long cs = x.reg(Regs.sysenter_cs);
    x.set(Regs.cs, cs);
    x.set(Regs.ss, cs + 8);
    x.set(Regs.eflags, x.reg(Regs.eflags) & ~(I386.EFLAGS_IF | (1L << 17)));
    x.setSp(x.reg(Regs.sysenter_esp));
    x.jumpTo(x.reg(Regs.sysenter_eip));
  }
}
