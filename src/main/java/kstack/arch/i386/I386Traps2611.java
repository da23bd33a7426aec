package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * #DB, #MC and NMI at 2.6.11 (Feature.TRAPS_2611). {@code debug} is an interrupt gate
 * (traps.c@2.6.11:1010): a #DB at sysenter_entry's first instruction is moved off the SYSENTER
 * stack by FIX_STACK, then it pushes -1 and 2.6.11's SAVE_ALL, calls the fastcall do_debug(regs,
 * 0) and tests the %eax the void do_debug left: non-zero goes straight to restore_all
 * (entry.S@2.6.11:441-462). {@code nmi} has two FIX_STACK checks of its own (see buildNmi). {@code machine_check} is a trap gate (traps.c@2.6.11:1028): it pushes
 * 0 and the value of machine_check_vector and jumps to {@code error_code}, which saves the rest of
 * pt_regs, takes the handler from the es slot and the error code from orig_eax (-1 left there), and
 * calls handler(regs in %eax, error code in %edx) (entry.S@2.6.11:379-401, 563-567). The injected
 * events carry nothing to handle (DR6 = 0, no valid MCA bank).
 */
final class I386Traps2611 {
  enum L implements Local { error_code, reason, regs }

  private I386Traps2611() {}

  static final String ENTRY = I386Entry2611.ENTRY + "@2.6.11";
  static final String TRAPS = "arch/i386/kernel/traps.c@2.6.11";

  static void build(Kernel k) {
    RoutineBuilder db = k.image.asm("debug", ENTRY + ":441-462");
    I386Traps.fixStack(k, db, "", "esp0");
    db.step("pushl $-1: orig_eax, mark this as an interrupt", x -> x.push(-1));
    SaveAll60.saveAll(db, "__USER_DS", I386.USER_DS)
        .step("xorl %edx, %edx (error code 0); movl %esp, %eax (the pt_regs)", x -> {
          x.set(Regs.edx, 0);
          x.set(Regs.eax, x.sp());
        })
        .call("call do_debug", "do_debug", Args.of(x -> x.reg(Regs.eax), x -> 0))
        // do_debug is void in 2.6.11, yet debug tests %eax after it: the test reads whatever
        // do_debug left there, which on the path modelled is force_sig_info's 0 (see do_debug)
        .step("testl %eax, %eax; jnz restore_all: do_debug is void, so this tests what it left in "
            + "%eax", x -> {
              if (x.reg(Regs.eax) != 0) {
                x.jumpTo(k.image.symbol("restore_all"));
              }
            })
        .step("jmp ret_from_exception", k.image.jump("ret_from_exception"));
    k.image.add(db.build());
    k.image.add(k.image.asm("machine_check", ENTRY + ":563-567")
        .step("pushl $0: no error code from the CPU", x -> x.push(0))
        .step("pushl machine_check_vector: its value, intel_machine_check (set by "
            + "intel_p6_mcheck_init, p6.c@2.6.11:83-97), in what becomes the es slot",
            x -> x.push(k.image.symbol("intel_machine_check")))
        .step("jmp error_code", k.image.jump("error_code")).build());
    buildErrorCode(k);
    k.image.add(k.image.asm("ret_from_exception", ENTRY + ":159-161")
        .step("preempt_stop: cli under CONFIG_PREEMPT; then ret_from_intr, which follows it", x -> {
          if (k.profile.config("PREEMPT")) {
            k.arch.irqDisable(x);
          }
          x.jumpTo(k.image.symbol("ret_from_intr"));
        }).build());
    buildHandlers(k);
    buildNmi(k);
  }

  /**
   * nmi (entry.S@2.6.11:472-506): an NMI at sysenter_entry's first instruction, or one at the start
   * of debug whose #DB hit sysenter_entry's first instruction, still sits on the SYSENTER stack;
   * FIX_STACK moves it to tss->esp0 with a forged frame at sysenter_past_esp (the second case
   * abandons the #DB's frame too: it never runs). Then pushl %eax, SAVE_ALL, the fastcall
   * do_nmi(regs, 0) and RESTORE_ALL.
   */
  private static void buildNmi(Kernel k) {
    long t = k.threadSize;
    RoutineBuilder b = k.image.asm("nmi", ENTRY + ":472-506")
        .branchIf("fixup", "cmpl $sysenter_entry, (%esp); je nmi_stack_fixup",
            x -> x.read(x.sp()) == k.image.symbol("sysenter_entry"))
        .branchIf("correct", "pushl %eax; movl %esp, %eax; andl $(THREAD_SIZE-1), %eax; cmpl "
            + "$(THREAD_SIZE-20), %eax; popl %eax; jae nmi_stack_correct: too near the top of the "
            + "stack page to read 12(%esp)", x -> {
              x.push(x.reg(Regs.eax));
              long off = x.sp() & (t - 1);
              x.set(Regs.eax, x.pop());
              return off >= t - 20;
            })
        .branchIf("debug_check", "cmpl $sysenter_entry, 12(%esp); je nmi_debug_stack_check: a "
            + "#DB frame from sysenter_entry above this one?",
            x -> x.read(x.sp() + 12) == k.image.symbol("sysenter_entry"))
        .label("correct")
        .step("nmi_stack_correct: pushl %eax: orig_eax", x -> x.push(x.reg(Regs.eax)));
    SaveAll60.saveAll(b, "__USER_DS", I386.USER_DS)
        .step("xorl %edx, %edx (error code 0); movl %esp, %eax (the pt_regs)", x -> {
          x.set(Regs.edx, 0);
          x.set(Regs.eax, x.sp());
        })
        .call("call do_nmi", "do_nmi", Args.of(x -> x.reg(Regs.eax), x -> 0));
    SaveAll60.restoreAll(k, b, "RESTORE_ALL").label("fixup");
    I386Traps.fixStackMacro(k, b, 12, "correct", "nmi_stack_fixup: FIX_STACK(12, "
        + "nmi_stack_correct, 1): ", "nmi_stack_correct", "", "the frame of an NMI after the "
        + "stack switch", "esp0");
    b.jump("correct", "jmp nmi_stack_correct")
        .label("debug_check")
        .branchIf("correct", "nmi_debug_stack_check: cmpw $__KERNEL_CS, 16(%esp); jne "
            + "nmi_stack_correct", x -> (x.read(x.sp() + 16) & 0xffff) != I386.KERNEL_CS)
        .branchIf("correct", "cmpl $debug - 1, (%esp); jle nmi_stack_correct: it came before "
            + "debug", x -> (int) x.read(x.sp()) <= (int) (k.image.symbol("debug") - 1))
        .step("cmpl $debug_esp_fix_insn, (%esp); jle nmi_debug_stack_fixup: the label that "
            + "follows, taken or not", x -> { });
    I386Traps.fixStackMacro(k, b, 24, "correct", "nmi_debug_stack_fixup: FIX_STACK(24, "
        + "nmi_stack_correct, 1): ", "nmi_stack_correct", "", "the debug and NMI frames on the "
        + "SYSENTER stack are left behind", "esp0");
    k.image.add(b.jump("correct", "jmp nmi_stack_correct").build());
    k.image.add(k.image.c("do_nmi", TRAPS + ":620-633").params(L.regs, L.error_code)
        .step("fastcall; nmi_enter(): irq_enter(), add_preempt_count(HARDIRQ_OFFSET) "
            + "(hardirq.h@2.6.11:85)", x -> preempt(k, x, HARDIRQ_OFFSET))
        .step("cpu = smp_processor_id(); ++nmi_count(cpu); nmi_callback(regs, cpu) is "
            + "dummy_nmi_callback: 0", x -> { })
        .call("default_do_nmi(regs)", "default_do_nmi", Args.of(x -> x.get(L.regs)))
        .step("nmi_exit(): sub_preempt_count(HARDIRQ_OFFSET)", x -> preempt(k, x, -HARDIRQ_OFFSET))
        .retVoid().build());
    k.image.add(k.image.c("default_do_nmi", TRAPS + ":575-611").params(L.regs)
        .step("reason = get_nmi_reason(): inb(0x61) on the boot CPU, 0: no parity or I/O check "
            + "bit; notify_die(DIE_NMI_IPI) does not stop it; nmi_watchdog is NMI_NONE "
            + "(nmi.c@2.6.11:37)", x -> { })
        .call("unknown_nmi_error(reason, regs)", "unknown_nmi_error",
            Args.of(x -> 0, x -> x.get(L.regs)))
        .retVoid().build());
    k.image.add(k.image.c("unknown_nmi_error", TRAPS + ":538-552").params(L.reason, L.regs)
        .step("no MCA bus; printk: an NMI for unknown reason 00 on CPU 0, trying to continue",
            x -> kstack.arch.x86.TrapNotes.nmi(k, x, Event.NmiPath.UNKNOWN_REASON_CONTINUE))
        .retVoid().build());
  }

  private static final long HARDIRQ_OFFSET = 1 << 16;

  /** add_preempt_count/sub_preempt_count on current_thread_info() (the esp's stack). */
  private static void preempt(Kernel k, kstack.exec.Exec x, long delta) {
    long a = k.arch.preemptCountAddress(k, x.cpu().id());
    x.write(a, x.read(a) + delta);
  }

  /** error_code (entry.S@2.6.11:379-401). */
  private static void buildErrorCode(Kernel k) {
    RoutineBuilder b = k.image.asm("error_code", ENTRY + ":379-401")
        .step("pushl %ds", x -> x.push(x.reg(Regs.ds)))
        .step("pushl %eax; xorl %eax, %eax", x -> {
          x.push(x.reg(Regs.eax));
          x.set(Regs.eax, 0);
        });
    for (String r : new String[] {"ebp", "edi", "esi", "edx"}) {
      int ri = Regs.of(r);
      b.step("pushl %" + r, x -> x.push(x.reg(ri)));
    }
    b.step("decl %eax: eax = -1", x -> x.set(Regs.eax, 0xffffffffL))
        .step("pushl %ecx", x -> x.push(x.reg(Regs.ecx)))
        .step("pushl %ebx", x -> x.push(x.reg(Regs.ebx)));
    k.image.add(b.step("cld; movl %es, %ecx; movl ES(%esp), %edi: the handler; movl ORIG_EAX(%esp), "
            + "%edx: the error code; movl %eax, ORIG_EAX(%esp): -1; movl %ecx, ES(%esp)", x -> {
              long regs = x.sp();
              x.set(Regs.ecx, x.reg(Regs.es));
              x.set(Regs.edi, x.read(regs + PtRegs.es.off(k)));
              x.set(Regs.edx, x.read(regs + PtRegs.orig_ax.off(k)));
              x.write(regs + PtRegs.orig_ax.off(k), x.reg(Regs.eax));
              x.write(regs + PtRegs.es.off(k), x.reg(Regs.ecx));
            })
        .step("movl $(__USER_DS), %ecx; movl %ecx, %ds; movl %ecx, %es; movl %esp, %eax: the "
            + "pt_regs", x -> {
              x.set(Regs.ds, I386.USER_DS);
              x.set(Regs.es, I386.USER_DS);
              x.set(Regs.eax, x.sp());
            })
        .callVia("call *%edi: handler(regs, error_code), fastcall", x -> x.reg(Regs.edi),
            Args.of(x -> x.reg(Regs.eax), x -> x.reg(Regs.edx)), null)
        .step("jmp ret_from_exception", k.image.jump("ret_from_exception")).build());
  }

  private static void buildHandlers(Kernel k) {
    k.image.add(k.image.c("do_debug", TRAPS + ":681-748").params(L.regs, L.error_code)
        .step("condition = %db6 (0); notify_die(DIE_DEBUG, ...) is not stopped; if (regs->eflags "
            + "& X86_EFLAGS_IF) local_irq_enable()", x -> {
              if ((x.read(x.get(L.regs) + PtRegs.flags.off(k)) & I386.EFLAGS_IF) != 0) {
                k.arch.irqEnable(x);
              }
            })
        // %eax at the return is what debug's testl reads: send_sigtrap's last act is
        // force_sig_info(), whose int result (0: sent, signal.c@2.6.11) stays in %eax, and
        // clear_dr7's movl to %db7 stores a constant 0; only notify_die's NOTIFY_STOP (no die
        // notifier is registered here) would return with %eax non-zero
        .step("no DR_TRAPn, not vm86: tsk->thread.debugreg[6] = condition; no DR_STEP; "
            + "send_sigtrap(tsk, regs, error_code): force_sig_info leaves 0 in %eax; clear_dr7: "
            + "%db7 = 0", x -> {
              kstack.arch.x86.TrapNotes.note(k, x, Event.TrapOutcome.DB_SIGTRAP_ANY_MODE, "2.6.11");
              x.set(Regs.eax, 0);
            })
        .retVoid().build());
    k.image.add(k.image.c("intel_machine_check", "arch/i386/kernel/cpu/mcheck/p6.c@2.6.11:20-80")
        .params(L.regs, L.error_code)
        .step("rdmsr MCG_STATUS (RIPV set: recover stays possible); printk(\"CPU %d: Machine Check "
            + "Exception\"); for each bank: rdmsr MCi_STATUS: none valid; wrmsr MCG_STATUS &= ~MCIP",
            x -> kstack.arch.x86.TrapNotes.note(k, x, Event.TrapOutcome.MC_NOTHING_TO_RECOVER,
                ""))
        .retVoid().build());
  }
}
