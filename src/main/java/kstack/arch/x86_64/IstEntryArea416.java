package kstack.arch.x86_64;

import java.util.Set;
import kstack.arch.x86.DoDebug;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's IST exceptions (entry_64.S@4.16.13 idtentry paranoid=1, ENTRY(nmi); page_64_types.h@
 * 4.16.13:14-31): DF, NMI, DB (8 KiB) and MCE stacks back to back in the cpu_entry_area, IST index
 * = constant - 1; do_double_fault, do_nmi, do_debug with the #DB IST entry lowered by
 * EXCEPTION_STKSZ around it, do_mce through machine_check_vector.
 */
public final class IstEntryArea416 extends IstExceptions {
  enum L implements Local { error_code, regs }

  private static final long[] SIZES = {4096, 4096, 8192, 4096};

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public long[] istStack(Kernel k, int cpu, int i) {
    long lo = k.image.constant("CPU_ENTRY_AREA_PER_CPU") + cpu * 0x40000L + 0x10000;
    for (int j = 0; j < i; j++) {
      lo += SIZES[j];
    }
    return new long[] {lo, lo + SIZES[i]};
  }

  @Override
  String entryPrefix() {
    return "";
  }

  @Override
  String handlerPrefix() {
    return "do_";
  }

  @Override
  boolean handlersTakeErrorCode() {
    return true;
  }

  @Override
  boolean clearsAsPushed() {
    return true;
  }

  @Override
  long exceptionStackSize() {
    return 4096;
  }

  @Override
  boolean istGuardPages() {
    return false;
  }

  @Override
  String nmiEntryPrologue() {
    return "ASM_CLAC; ";
  }

  @Override
  String nmiRestoreCr3() {
    return "RESTORE_CR3; ";
  }

  @Override
  String nmiEnter() {
    return "nmi_enter()";
  }

  @Override
  String nmiExit() {
    return "nmi_exit()";
  }

  @Override
  String doubleFaultEnter() {
    return "cr2 = read_cr2()";
  }

  @Override
  String overflowCall() {
    return "handle_stack_overflow(\"kernel stack overflow (double-fault)\", regs, cr2)";
  }

  @Override
  String guardPageStackKind() {
    return "";
  }

  /** The last byte of the stack (traps.c@4.16.13 handle_stack_overflow). */
  @Override
  long guardHitStackEnd(long stack, long threadSize) {
    return stack + threadSize - 1;
  }

  @Override
  String overflowDie() {
    return "die(\"kernel stack overflow (double-fault)\", regs, 0); panic(\"Guard page hit\")";
  }

  @Override
  String overflowPanic() {
    return "Guard page hit";
  }

  @Override
  String debugKernel() {
    return "do_debug";
  }

  @Override
  String debugUser() {
    return "do_debug";
  }

  @Override
  String machineCheckKernel() {
    return "do_mce";
  }

  @Override
  String machineCheckUser() {
    return "do_mce";
  }

  @Override
  boolean shiftsDebugIst() {
    return true;
  }

  @Override
  boolean errorEntryReturnsRegs() {
    return false;
  }

  @Override
  String errorExit() {
    return "error_exit";
  }

  /**
   * error_entry / error_exit (entry_64.S@4.16.13): PUSH_AND_CLEAR_REGS below the hardware frame;
   * from user mode SWAPGS, then sync_regs copies pt_regs to the top of the task stack and rsp
   * follows (the return address is carried across in r12). error_exit returns through retint_user
   * or retint_kernel.
   */
  @Override
  void buildBeforeTrapEntries(Kernel k) {
    RoutineBuilder e = X86Exceptions.regsPush(k, k.image.asm("error_entry", X86Entry.ENTRY), true)
        .branchIf("kernel", "testb $3, CS+8(%rsp): from kernel mode?",
            x -> (x.read(x.sp() + 8 + PtRegs.cs.off(k)) & 3) == 0)
        .step("SWAPGS; SWITCH_TO_KERNEL_CR3 (no PTI)", X86Entry::swapgs)
        .step("popq %r12: the return address; movq %rsp, %rdi", x -> {
          x.set(Regs.r12, x.pop());
          x.set(Regs.rdi, x.sp());
        })
        .call("call sync_regs", "sync_regs", Args.of(x -> x.reg(Regs.rdi)))
        .step("movq %rax, %rsp: onto the task stack; pushq %r12", x -> {
          x.setSp(x.retval());
          x.push(x.reg(Regs.r12));
        })
        .label("kernel")
        .step("ret (TRACE_IRQS_OFF)", x -> x.ret(x.pop()));
    k.image.add(e.build());
    k.image.add(X86Irq.syncRegs(k));
    k.image.add(k.image.asm("error_exit", X86Entry.ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF", x -> { })
        .branchIf("kernel", "testb $3, CS(%rsp): back to kernel mode?",
            x -> (x.read(x.sp() + PtRegs.cs.off(k)) & 3) == 0)
        .step("jmp retint_user", k.image.jump("retint_user"))
        .label("kernel")
        .step("jmp retint_kernel", k.image.jump("retint_kernel")).build());
  }

  /**
   * do_debug (shared with i386) and do_mce (mcheck/mce.c@4.16.13:1803-1837), which calls through
   * machine_check_vector, which mcheck_cpu_init points at do_machine_check.
   */
  @Override
  void buildTrapHandlers(Kernel k) {
    DoDebug.buildDoDebugUserIcebp(k);
    k.image.add(k.image.c("do_mce", "arch/x86/kernel/cpu/mcheck/mce.c").params(L.regs, L.error_code)
        .callVia("machine_check_vector(regs, error_code) = do_machine_check",
            x -> k.image.symbol("do_machine_check"), Args.of(x -> x.get(L.regs), x -> 0), null)
        .retVoid().build());
  }

  @Override
  kstack.arch.x86.DoMachineCheck.Source machineCheckSource() {
    return kstack.arch.x86.DoMachineCheck.MCHECK_MCE_C;
  }
}
