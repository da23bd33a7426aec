package kstack.arch.x86_64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.kernel.Kernel;
import kstack.mem.Region;

/**
 * The IST exceptions of the cpu_entry_area generations (X86Exceptions, X86Nmi, X86Traps build
 * them): the double fault, the NMI with its nested-NMI protocol, #DB and #MC with paranoid_entry
 * from kernel mode and error_entry from user mode. What differs between the generations is a name,
 * a step's words or a size: each module gives its values.
 */
public abstract class IstExceptions implements Exceptions64 {
  /** The entry_64.S prefix of the exception entries ("" or asm_exc_). */
  abstract String entryPrefix();

  /** The C handlers' prefix (do_ or exc_). */
  abstract String handlerPrefix();

  /** Whether the C handlers take (regs, error_code), or only regs (DEFINE_IDTENTRY_*). */
  abstract boolean handlersTakeErrorCode();

  /**
   * What an IST stub passes its C handler: pt_regs in rdi, and the error code the stub put in rsi
   * where the handlers take one. 4.16: do_nmi, do_debug, do_mce(struct pt_regs *, long)
   * (arch/x86/include/asm/traps.h@4.16.13:65,91; entry_64.S@4.16.13 sets rsi to -1 or 0).
   * 6.19: exc_nmi is DEFINE_IDTENTRY_RAW, exc_debug/exc_machine_check DEFINE_IDTENTRY_IST and
   * their noist_ forms DEFINE_IDTENTRY_NOIST, each func(struct pt_regs *regs) (nmi.c@6.19:536,
   * asm/idtentry.h@6.19:141,361-372,452-458), and entry_64.S@6.19:419,1193,1406 sets only rdi.
   */
  final Args handlerArgs() {
    return handlersTakeErrorCode() ? Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi))
        : Args.of(x -> x.reg(Regs.rdi));
  }

  /** The stub's "movq %rsp, %rdi" and, where the handlers take one, the error code in rsi. */
  final void loadHandlerArgs(Exec x, long errorCode) {
    x.set(Regs.rdi, x.sp());
    if (handlersTakeErrorCode()) {
      x.set(Regs.rsi, errorCode);
    }
  }

  /**
   * PUSH_AND_CLEAR_REGS: each register cleared as it is pushed (xorl after the push), or all
   * pushed first and then cleared (PUSH_REGS; CLEAR_REGS).
   */
  abstract boolean clearsAsPushed();

  /** EXCEPTION_STKSZ: the size of each IST stack (the DB stack has two of them on 4.16). */
  abstract long exceptionStackSize();

  /** Whether each IST stack has a guard page below it. */
  abstract boolean istGuardPages();

  /** The first words of the NMI entry before pushq %rdx. */
  abstract String nmiEntryPrologue();

  /** The CR3 restore words on the NMI's way out. */
  abstract String nmiRestoreCr3();

  /** The NMI C handler's enter and exit words. */
  abstract String nmiEnter();

  abstract String nmiExit();

  /** The double fault handler's first step. */
  abstract String doubleFaultEnter();

  /** handle_stack_overflow's call, message, die and panic words. */
  abstract String overflowCall();

  /** The guard-page message's name for the stack ("TASK" or none) and the end it prints. */
  abstract String guardPageStackKind();

  abstract long guardHitStackEnd(long stack, long threadSize);

  abstract String overflowDie();

  abstract String overflowPanic();

  /** #DB's and #MC's C handlers from kernel mode and from user mode. */
  abstract String debugKernel();

  abstract String debugUser();

  abstract String machineCheckKernel();

  abstract String machineCheckUser();

  /** Whether #DB lowers its IST entry around the handler (shift_ist=DEBUG_STACK). */
  abstract boolean shiftsDebugIst();

  /** Whether error_entry returns the pt_regs to use in rax (movq %rax, %rsp follows). */
  abstract boolean errorEntryReturnsRegs();

  /** Where an error_entry exception leaves (error_exit, error_return). */
  abstract String errorExit();

  /** The file do_machine_check lives in and its prototype there (DoMachineCheck.Source). */
  abstract kstack.arch.x86.DoMachineCheck.Source machineCheckSource();

  /** Routines linked before the #DB and #MC entries (4.16's error_entry, error_exit). */
  void buildBeforeTrapEntries(Kernel k) {}

  /** The #DB and #MC C handlers. */
  abstract void buildTrapHandlers(Kernel k);

  @Override
  public void build(Kernel k) {
    X86Exceptions.build(k, this);
  }

  @Override
  public String handlerName(int vector) {
    return X86Exceptions.handlerName(entryPrefix(), vector);
  }

  /** Maps a CPU's IST stacks (and their guard pages, where they have them). */
  @Override
  public void mapIstStacks(Kernel k, int cpu) {
    for (int i = 0; i < X86Exceptions.IST.length; i++) {
      long[] r = istStack(k, cpu, i);
      k.mem.map(new Region("cpu_entry_area[" + cpu + "] " + X86Exceptions.IST[i]
          + " exception stack", r[0], r[1] - r[0], Region.Kind.ENTRY_AREA));
      if (istGuardPages()) {
        k.mem.map(new Region("cpu_entry_area[" + cpu + "] " + X86Exceptions.IST[i]
            + "_stack_guard", r[0] - 4096, 4096, Region.Kind.GUARD));
      }
    }
  }
}
