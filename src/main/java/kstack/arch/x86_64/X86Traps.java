package kstack.arch.x86_64;

import kstack.arch.x86.DoMachineCheck;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * #DB and #MC: IST exceptions whose entry depends on where they came from. From kernel mode they
 * stay on their IST stack (paranoid_entry, paranoid_exit); from user mode the entry moves pt_regs
 * to the task stack (error_entry → sync_regs) and the handler runs "in process context".
 * 4.16: {@code idtentry debug do_debug paranoid=1 shift_ist=DEBUG_STACK} and {@code idtentry
 * machine_check paranoid=1 do_sym=*machine_check_vector(%rip)} (entry_64.S@4.16.13, the idtentry
 * macro's .Lfrom_usermode_switch_stack); around a kernel-mode do_debug the DB IST entry is lowered
 * by EXCEPTION_STKSZ so a nested #DB gets fresh stack. 6.19: {@code idtentry_mce_db} for
 * asm_exc_debug and asm_exc_machine_check, with the user-mode C entries noist_exc_debug and
 * noist_exc_machine_check (entry_64.S@6.19; idtentry.h@6.19 DEFINE_IDTENTRY_DEBUG/_MCE and their
 * _USER forms). Facts checked in docs/research/x86_64-nmi-db-mc.md §B. The injected events carry nothing to handle: DR6 reads 0 and no MCA bank is
 * valid, so each handler finds no work and returns; what they show is the stacks.
 */
public final class X86Traps {
  private X86Traps() {}

  static final int DB_VECTOR = 1;
  static final int MC_VECTOR = 18;
  private static final String ENTRY = "arch/x86/entry/entry_64.S";
  private static final int EXCEPTION_STKSZ = 4096; // page_64_types.h@4.16.13:14-15

  static void build(Kernel k, IstExceptions e) {
    e.buildBeforeTrapEntries(k);
    entry(k, e, DB_VECTOR, e.debugKernel(), e.debugUser());
    entry(k, e, MC_VECTOR, e.machineCheckKernel(), e.machineCheckUser());
    e.buildTrapHandlers(k);
    DoMachineCheck.build(k, e.machineCheckSource());
  }

  /** The entry stub of an IST exception with no error code. */
  private static void entry(Kernel k, IstExceptions e, int vector, String kernelFn, String userFn) {
    boolean shift = e.shiftsDebugIst() && vector == DB_VECTOR;
    int ist = X86Exceptions.istOf(vector);
    String noErrorCode = e.handlersTakeErrorCode() ? "; xorl %esi, %esi" : "";
    RoutineBuilder b = k.image.asm(e.handlerName(vector), ENTRY)
        .step("ASM_CLAC; pushq $-1: orig_ax (no error code)", x -> x.push(-1))
        .branchIf("user", "testb $3, CS-ORIG_RAX(%rsp): from user mode? then switch stacks",
            x -> (x.read(x.sp() + 16) & 3) == 3)
        .call("call paranoid_entry: pt_regs stay on the IST stack", "paranoid_entry", Args.inPlace())
        .step("movq %rsp, %rdi" + noErrorCode, x -> e.loadHandlerArgs(x, 0));
    if (shift) {
      b.step("subq $EXCEPTION_STKSZ, CPU_TSS_IST(DEBUG_STACK): a nested #DB lands lower",
          x -> shiftIst(k, x, ist, -EXCEPTION_STKSZ));
    }
    b.call("call " + kernelFn, kernelFn, e.handlerArgs());
    if (shift) {
      b.step("addq $EXCEPTION_STKSZ, CPU_TSS_IST(DEBUG_STACK)",
          x -> shiftIst(k, x, ist, EXCEPTION_STKSZ));
    }
    X86Exceptions.paranoidExit(b);
    b.label("user");
    b.call("call error_entry: pt_regs move to the task stack", "error_entry", Args.inPlace());
    if (e.errorEntryReturnsRegs()) {
      b.step("movq %rax, %rsp: onto the task stack", x -> x.setSp(x.retval()));
    }
    b.step("ENCODE_FRAME_POINTER; movq %rsp, %rdi" + noErrorCode, x -> {
      x.setFp(x.sp() + 1);
      e.loadHandlerArgs(x, 0);
    })
        .call("call " + userFn, userFn, e.handlerArgs())
        .step("jmp " + e.errorExit(), x -> x.jumpTo(k.image.symbol(e.errorExit())));
    k.image.add(b.build());
  }

  private static void shiftIst(Kernel k, kstack.exec.Exec x, int ist, long delta) {
    long slot = X86Entry.gs(k, x, "cpu_tss_rw") + Tss.ist.off(k) + 8L * ist;
    x.write(slot, x.read(slot) + delta);
  }
}
