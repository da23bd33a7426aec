package kstack.arch.x86_64;

import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * What x86_64's interrupt entries share across generations: the vector range of the stubs,
 * restore_regs_and_return_to_kernel, iretq with the end of NMI blocking, and sync_regs. Each
 * generation's entry and exit paths are its IrqEntry64 module (InterruptEntry416:
 * interrupt_entry and ENTER_IRQ_STACK; IdtentryIrqentry619: idtentry and call_on_irqstack_cond).
 */
final class X86Irq {
  enum L implements Local { eregs, regs }

  private X86Irq() {}

  static final String ENTRY = "arch/x86/entry/entry_64.S";
  static final int FIRST_EXTERNAL_VECTOR = 0x20;
  static final int STUBS = 32;

  /** restore_regs_and_return_to_kernel: POP_REGS, skip orig_ax, iretq. */
  static void buildReturnToKernel(Kernel k) {
    RoutineBuilder b = k.image.asm("restore_regs_and_return_to_kernel", ENTRY);
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
        "r8", "rax", "rcx", "rdx", "rsi", "rdi"}) {
      int ri = Regs.of(r);
      b.step("popq %" + r + " (POP_REGS)", x -> x.set(ri, x.pop()));
    }
    k.image.add(b.step("addq $8, %rsp: skip orig_ax", x -> x.setSp(x.sp() + 8))
        .step("iretq: pop rip, cs, rflags, rsp, ss: back to the interrupted kernel code", X86Irq::iret)
        .build());
  }

  /** iretq: pops the hardware frame; any IRET also ends NMI blocking ([ARCH] SDM 6.7.1). */
  static void iret(Exec x) {
    x.set(Regs.nmi_blocked, 0);
    long ip = x.pop();
    x.set(Regs.cs, x.pop());
    x.set(Regs.eflags, x.pop());
    long sp = x.pop();
    x.set(Regs.ss, x.pop());
    x.setSp(sp);
    x.jumpTo(ip);
  }

  /**
   * sync_regs (arch/x86/kernel/traps.c@4.16.13 and @6.19): pt_regs built on an entry or IST stack
   * is copied to the top of the task stack, cpu_current_top_of_stack - sizeof(pt_regs).
   */
  static kstack.exec.Routine syncRegs(Kernel k) {
    return k.image.c("sync_regs", "arch/x86/kernel/traps.c").params(L.eregs).locals(L.regs)
        .step("regs = (struct pt_regs *)current_top_of_stack() - 1: the top of the task stack",
            x -> x.set(L.regs, x.read(X86Entry.gsMacro(k, x, "cpu_current_top_of_stack"))
                - k.image.struct("pt_regs").size()))
        .step("if (regs != eregs) *regs = *eregs: the frame moves to the task stack", x -> {
          if (x.get(L.regs) != x.get(L.eregs)) {
            k.mem.copy(x.get(L.regs), x.get(L.eregs), k.image.struct("pt_regs").size());
          }
        })
        .ret("return regs", x -> x.get(L.regs)).build();
  }

}
