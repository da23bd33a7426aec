package kstack.arch.arm64;

import java.util.List;
import kstack.cpu.Cpu;
import kstack.exec.Exec;
import kstack.kernel.ArchInterrupts;
import kstack.kernel.Kernel;
import kstack.mem.MemoryFault;

/**
 * What the arm64 CPU does on an exception (ELR_EL1, SPSR_EL1, ESR_EL1, the vector at VBAR_EL1 +
 * offset) and the port's interrupt side: PSTATE.I, the GIC's acknowledged line, the
 * IRQ vector the generation's entry names, data aborts (Arm64Faults); no NMI.
 */
abstract class Arm64Exceptions implements ArchInterrupts {
  private final ExceptionEntry entry;

  Arm64Exceptions(ExceptionEntry entry) {
    this.entry = entry;
  }

  /** The generation's exception entry (its vectors' names). */
  ExceptionEntry entry() {
    return entry;
  }

  /** Whether the CPU runs at EL0 (user mode). */
  public abstract boolean inUserMode(Kernel k, int cpu);

  /** Exception entry: what the CPU does, shared by SVC, IRQs and aborts. */
  static void takeException(Cpu c, long returnPc, int vectorOffset, long esr) {
    boolean fromEl0 = (c.get(Regs.pstate) & 0xf) == Arm64.PSR_MODE_EL0T;
    c.set(Regs.elr_el1, returnPc);
    c.set(Regs.spsr_el1, c.get(Regs.pstate));
    c.set(Regs.esr_el1, esr);
    c.set(Regs.pstate, Arm64.PSR_MODE_EL1H | Arm64.PSR_I_BIT | 0x340);
    if (fromEl0) {
      c.set(Regs.sp, c.get(Regs.sp_el1)); // SPSel: EL1h uses SP_EL1; SP_EL0 keeps the user SP
    }
    c.set(Regs.pc, c.get(Regs.vbar_el1) + (fromEl0 ? vectorOffset : vectorOffset - 0x200));
  }

  @Override
  public void irqEnable(Exec x) {
    x.set(Regs.pstate, x.reg(Regs.pstate) & ~Arm64.PSR_I_BIT);
  }

  @Override
  public void irqDisable(Exec x) {
    x.set(Regs.pstate, x.reg(Regs.pstate) | Arm64.PSR_I_BIT);
  }

  @Override
  public boolean irqsEnabled(Kernel k, int cpu) {
    return (k.cpu(cpu).get(Regs.pstate) & Arm64.PSR_I_BIT) == 0;
  }

  /** [ARCH] An IRQ: vector +0x480 from EL0, +0x280 from EL1h; nothing is pushed. */
  @Override
  public String deliverInterrupt(Kernel k, int cpu, int vector) {
    Cpu c = k.cpu(cpu);
    boolean el0 = inUserMode(k, cpu);
    c.set(Regs.gic_iar, vector); // what the GIC's acknowledge register will read
    takeException(c, c.get(Regs.pc), 0x480, 0);
    return el0 ? entry.el0Irq() : entry.el1Irq();
  }

  /** Every line is a GIC SPI wired to the demo device; the vector is the IRQ exception itself. */
  @Override
  public int irqVector(int irq) {
    return irq >= 0 && irq < 16 ? 32 + irq : -1;
  }

  @Override
  public int timerVector() {
    return 27; // the virtual timer's PPI (arch_timer_handler_virt)
  }

  /** A kernel-mode data abort: the overflow stack, or an oops (Arm64Faults). */
  @Override
  public boolean takeFault(Kernel k, int cpu, MemoryFault f) {
    return Arm64Faults.takeFault(this, k, cpu, f);
  }

  /** Synchronous exceptions on arm64 come from instructions (svc, aborts); none is injectable here. */
  @Override
  public int exceptionVector(String name) {
    return -1;
  }

  @Override
  public List<String> exceptionNames() {
    return List.of();
  }

  @Override
  public boolean nmiBlocked(Kernel k, int cpu) {
    return false;
  }

  @Override
  public String noNmiReason() {
    return "arm64 has no architectural NMI; the pseudo-NMI built on GIC interrupt priorities "
        + "(CONFIG_ARM64_PSEUDO_NMI) is not modelled";
  }

  @Override
  public int nmiVector() {
    return -1;
  }
}
