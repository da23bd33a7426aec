package kstack.arch.x86;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.Kernel;

/**
 * do_IRQ and smp_apic_timer_interrupt (arch/x86/kernel/irq.c, apic/apic.c), the C side of a device
 * or timer interrupt, shared by i386 and x86_64; each arch supplies its own handle_irq.
 */
public final class DoIrq {
  enum L implements Local { regs, vector }

  private DoIrq() {}

  /**
   * With entering_irq()/exiting_irq() around the handler: smp_apic_timer_interrupt (apic/apic.c@4.16.13)
   * and do_IRQ (irq.c@4.16.13:224-254).
   */
  public static void buildEnteringIrq(Kernel k) {
    String apic = "arch/x86/kernel/apic/apic.c";
    k.image.add(k.image.c("smp_apic_timer_interrupt", apic).params(L.regs)
        .step("old_regs = set_irq_regs(regs); entering_ack_irq(): ack_APIC_irq()", x -> { })
        .call("irq_enter()", "irq_enter", Args.inPlace())
        .call("local_apic_timer_interrupt()", "local_apic_timer_interrupt", Args.inPlace())
        .call("exiting_irq(): irq_exit()", "irq_exit", Args.inPlace())
        .step("set_irq_regs(old_regs)", x -> { })
        .retVoid().build());
    doIrq(k, "entering_irq(): irq_enter()",
        "desc = __this_cpu_read(vector_irq[vector]); handle_irq(desc, regs)", "exiting_irq(): irq_exit()");
  }

  /**
   * With exit_idle() before irq_enter(): do_IRQ and smp_apic_timer_interrupt as
   * arch/x86/kernel/irq.c@2.6.32:226-251 and apic/apic.c@2.6.32 have them.
   */
  public static void buildExitIdle(Kernel k) {
    doIrq(k, "exit_idle(); irq_enter()",
        "irq = __get_cpu_var(vector_irq)[vector]; handle_irq(irq, regs)", "irq_exit()");
    k.image.add(k.image.c("smp_apic_timer_interrupt", "arch/x86/kernel/apic/apic.c").params(L.regs)
        .step("old_regs = set_irq_regs(regs); ack_APIC_irq(); exit_idle()", x -> { })
        .call("irq_enter()", "irq_enter", Args.inPlace())
        .call("local_apic_timer_interrupt()", "local_apic_timer_interrupt", Args.inPlace())
        .call("irq_exit()", "irq_exit", Args.inPlace())
        .step("set_irq_regs(old_regs)", x -> { })
        .retVoid().build());
  }

  /** do_IRQ: the vector from ~orig_ax, then irq_enter, the vector's handle_irq, irq_exit. */
  private static void doIrq(Kernel k, String enter, String handle, String exit) {
    k.image.add(k.image.c("do_IRQ", "arch/x86/kernel/irq.c").params(L.regs).locals(L.vector)
        .step("old_regs = set_irq_regs(regs); vector = ~regs->orig_ax",
            x -> x.set(L.vector, ~x.read(x.get(L.regs) + X86PtRegs.orig_ax.off(k)) & 0xff))
        .call(enter, "irq_enter", Args.inPlace())
        .call(handle, "handle_irq", Args.of(x -> x.get(L.vector), x -> x.get(L.regs)))
        .call(exit, "irq_exit", Args.inPlace())
        .ret("set_irq_regs(old_regs); return 1", x -> 1).build());
  }
}
