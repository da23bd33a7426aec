package kstack.arch.x86_64;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

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
    buildDoMachineCheck(k);
  }

  /**
   * 6.19's exc_debug_kernel and exc_debug_user (traps.c@6.19:1214-1362), shared by x86_64 and i386.
   * DR6 reads 0: from kernel mode nothing claims the trap; from user mode the kernel takes it for
   * an icebp (int1) and sends SIGTRAP (icebp = !dr6, :1336-1356). Signals are not delivered in this
   * model; the note records it.
   */
  public static void buildDebugLeaves619(Kernel k) {
    String traps = "arch/x86/kernel/traps.c";
    k.add(k.c("exc_debug_kernel", traps).params("regs", "dr6")
        .step("local_db_save(); irqentry_nmi_enter(regs); notify_debug(regs, &dr6); "
            + "irqentry_nmi_exit(); local_db_restore()", x -> note(k, x, "#DB",
                "DR6 = 0: no breakpoint, single step or task switch condition; nothing claims it"))
        .retVoid().build());
    k.add(k.c("exc_debug_user", traps).params("regs", "dr6")
        .step("irqentry_enter_from_user_mode(regs); icebp = !dr6; notify_debug(regs, &dr6); "
            + "local_irq_enable(); send_sigtrap(regs, 0, get_si_code(dr6)); local_irq_disable(); "
            + "irqentry_exit_to_user_mode(regs)", x -> note(k, x, "#DB", sigtrap(k, x)))
        .retVoid().build());
  }

  /**
   * 4.16's do_debug (traps.c@4.16.13:688-780), shared by x86_64 and i386: DR6 = 0 from kernel mode
   * is claimed by nobody; from user mode it counts as an icebp and SIGTRAP is sent.
   */
  public static void buildDoDebug416(Kernel k) {
    k.add(k.c("do_debug", "arch/x86/kernel/traps.c").params("regs", "error_code")
        .step("ist_enter(regs); get_debugreg(dr6, 6); dr6 &= ~DR6_RESERVED; if (!dr6 && "
            + "user_mode(regs)) user_icebp = 1; notify_die(DIE_DEBUG); cond_local_irq_enable(); "
            + "if (user_icebp) send_sigtrap(tsk, regs, error_code, si_code); ist_exit(regs)",
            x -> note(k, x, "#DB", k.arch.userModeRegs(k, x.local("regs")) ? sigtrap(k, x)
                : "DR6 = 0: no breakpoint, single step or task switch condition; nothing claims it"))
        .retVoid().build());
  }

  /**
   * 2.6.32's do_debug (arch/x86/kernel/traps.c@2.6.32.67, shared by i386 and x86_64): with no
   * DR_STEP and no DR_TRAPn condition it still sends SIGTRAP to the current task, whatever the mode.
   */
  public static void buildDoDebug26(Kernel k) {
    k.add(k.c("do_debug", "arch/x86/kernel/traps.c").params("regs", "error_code")
        .step("get_debugreg(condition, 6); notify_die(DIE_DEBUG); preempt_conditional_sti(regs); "
            + "no DR_STEP, no DR_TRAPn: si_code = get_si_code(condition); "
            + "send_sigtrap(tsk, regs, error_code, si_code); set_debugreg(0, 7); "
            + "preempt_conditional_cli(regs)", x -> note(k, x, "#DB", "DR6 = 0: 2.6.32 sends SIGTRAP "
                + "to pid " + k.pid(k.current(x)) + " whatever the mode (signal delivery is not "
                + "modelled)"))
        .retVoid().build());
  }

  /** What a DR6 = 0 #DB from user mode does: SIGTRAP for the current task, not delivered here. */
  public static String sigtrap(Kernel k, kstack.exec.Exec x) {
    return "DR6 = 0 from user mode looks like an icebp (int1): send_sigtrap() queues SIGTRAP for pid "
        + k.pid(k.current(x)) + " (signal delivery is not modelled)";
  }

  /** do_machine_check: no MCA bank holds a valid error, so there is nothing to recover. */
  public static void buildDoMachineCheck(Kernel k) {
    boolean v6 = k.profile.has(Feature.IRQENTRY);
    k.add(k.c("do_machine_check", v6 ? "arch/x86/kernel/cpu/mce/core.c"
            : "arch/x86/kernel/cpu/mcheck/mce.c").params("regs")
        .step("mce_gather_info(); scan the banks; no severity to act on: goto out", x -> note(k,
            x, "#MC", "MCG_STATUS has RIPV and no MCA bank holds a valid error: nothing to "
                + "recover; the handler returns"))
        .retVoid().build());
  }

  public static void note(Kernel k, kstack.exec.Exec x, String what, String msg) {
    k.timeline.emit(new Event.Note(x.cpu().id(), what, String.format("%s (running on %s 0x%x)",
        msg, k.arch.registers().name(k.arch.registers().sp), x.sp())));
  }

  /** The entry stub of an IST exception with no error code. */
  private static void entry(Kernel k, IstExceptions e, int vector, String kernelFn, String userFn) {
    boolean shift = e.shiftsDebugIst() && vector == DB_VECTOR;
    int ist = X86Exceptions.istOf(vector);
    String noErrorCode = e.handlersTakeErrorCode() ? "; xorl %esi, %esi" : "";
    RoutineBuilder b = k.asm(e.handlerName(vector), ENTRY)
        .step("ASM_CLAC; pushq $-1: orig_ax (no error code)", x -> x.push(-1))
        .branchIf("user", "testb $3, CS-ORIG_RAX(%rsp): from user mode? then switch stacks",
            x -> (x.read(x.sp() + 16) & 3) == 3)
        .call("call paranoid_entry: pt_regs stay on the IST stack", "paranoid_entry", null)
        .step("movq %rsp, %rdi" + noErrorCode, x -> {
          x.set("rdi", x.sp());
          x.set("rsi", 0);
        });
    if (shift) {
      b.step("subq $EXCEPTION_STKSZ, CPU_TSS_IST(DEBUG_STACK): a nested #DB lands lower",
          x -> shiftIst(k, x, ist, -EXCEPTION_STKSZ));
    }
    b.call("call " + kernelFn, kernelFn, x -> new long[] {x.reg("rdi"), x.reg("rsi")});
    if (shift) {
      b.step("addq $EXCEPTION_STKSZ, CPU_TSS_IST(DEBUG_STACK)",
          x -> shiftIst(k, x, ist, EXCEPTION_STKSZ));
    }
    X86Exceptions.paranoidExit(b);
    b.label("user");
    b.call("call error_entry: pt_regs move to the task stack", "error_entry", null);
    if (e.errorEntryReturnsRegs()) {
      b.step("movq %rax, %rsp: onto the task stack", x -> x.setSp(x.retval()));
    }
    b.step("ENCODE_FRAME_POINTER; movq %rsp, %rdi" + noErrorCode, x -> {
      x.setFp(x.sp() + 1);
      x.set("rdi", x.sp());
      x.set("rsi", 0);
    })
        .call("call " + userFn, userFn, x -> new long[] {x.reg("rdi"), x.reg("rsi")})
        .step("jmp " + e.errorExit(), x -> x.jumpTo(k.symbol(e.errorExit())));
    k.add(b.build());
  }

  private static void shiftIst(Kernel k, kstack.exec.Exec x, int ist, long delta) {
    long slot = X86Entry.gs(k, x, "cpu_tss_rw") + k.offPath("tss_struct", "x86_tss.ist") + 8L * ist;
    x.write(slot, x.read(slot) + delta);
  }
}
