package kstack.arch.x86;

import java.util.List;
import kstack.exec.Exec;
import kstack.kernel.Arch;
import kstack.kernel.Kernel;

/**
 * The port answers i386 and x86_64 give alike because the CPU gives them: EFLAGS.IF for
 * local_irq_enable/disable (asm/irqflags.h), the RPL of CS for user_mode() (asm/ptrace.h), the
 * NMI held back from delivery until the next IRET, and the exceptions the {@code exception} command
 * raises (#DB, #MC).
 */
public abstract class X86Cpu implements Arch {
  /** X86_EFLAGS_IF (uapi/asm/processor-flags.h). */
  public static final long EFLAGS_IF = 0x200;

  /** The numbers of EFLAGS, CS and the hidden NMI-blocked flag in the ISA's register set. */
  private final int eflags;
  private final int cs;
  private final int nmiBlockedFlag;

  protected X86Cpu(int eflags, int cs, int nmiBlockedFlag) {
    this.eflags = eflags;
    this.cs = cs;
    this.nmiBlockedFlag = nmiBlockedFlag;
  }

  @Override
  public void irqEnable(Exec x) {
    x.set(eflags, x.reg(eflags) | EFLAGS_IF);
  }

  @Override
  public void irqDisable(Exec x) {
    x.set(eflags, x.reg(eflags) & ~EFLAGS_IF);
  }

  @Override
  public boolean irqsEnabled(Kernel k, int cpu) {
    return (k.cpu(cpu).get(eflags) & EFLAGS_IF) != 0;
  }

  @Override
  public List<String> exceptionNames() {
    return List.of("db", "mc");
  }

  @Override
  public boolean nmiBlocked(Kernel k, int cpu) {
    return k.cpu(cpu).get(nmiBlockedFlag) != 0;
  }

  @Override
  public String noNmiReason() {
    return null;
  }

  /** user_mode(regs): the saved CS has RPL 3 (the VM86 flag is not modelled). */
  @Override
  public boolean userModeRegs(Kernel k, long regs) {
    return (k.readPtr(regs + X86PtRegs.cs.off(k)) & 3) == 3;
  }

  @Override
  public boolean inUserMode(Kernel k, int cpu) {
    return (k.cpu(cpu).get(cs) & 3) == 3;
  }
}
