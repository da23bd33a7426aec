package kstack.arch.i386;

import kstack.arch.x86_64.X86Traps;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * #DB and #MC at 2.6.11 (Feature.TRAPS_2611). {@code debug} is an interrupt gate
 * (traps.c@2.6.11:1010): a #DB at sysenter_entry's first instruction is moved off the SYSENTER
 * stack by FIX_STACK, then it pushes -1 and 2.6.11's SAVE_ALL and calls the fastcall do_debug(regs,
 * 0) (entry.S@2.6.11:441-462). {@code machine_check} is a trap gate (traps.c@2.6.11:1028): it pushes
 * 0 and the value of machine_check_vector and jumps to {@code error_code}, which saves the rest of
 * pt_regs, takes the handler from the es slot and the error code from orig_eax (-1 left there), and
 * calls handler(regs in %eax, error code in %edx) (entry.S@2.6.11:379-403, 563-567). The injected
 * events carry nothing to handle (DR6 = 0, no valid MCA bank).
 */
final class I386Traps2611 {
  private I386Traps2611() {}

  static final String ENTRY = I386Entry2611.ENTRY + "@2.6.11";
  static final String TRAPS = "arch/i386/kernel/traps.c@2.6.11";

  static void build(Kernel k) {
    RoutineBuilder db = k.asm("debug", ENTRY + ":441-462");
    I386Traps.fixStack(k, db);
    db.step("pushl $-1: orig_eax, mark this as an interrupt", x -> x.push(-1));
    I386Entry24.saveAll(db, "__USER_DS", I386.USER_DS)
        .step("xorl %edx, %edx (error code 0); movl %esp, %eax (the pt_regs)", x -> {
          x.set("edx", 0);
          x.set("eax", x.sp());
        })
        .call("call do_debug", "do_debug", x -> new long[] {x.reg("eax"), 0})
        .step("testl %eax, %eax; jnz restore_all; jmp ret_from_exception (do_debug is void in "
            + "2.6.11, so %eax is whatever it left; the model takes ret_from_exception)",
            x -> x.jumpTo(k.symbol("ret_from_exception")));
    k.add(db.build());
    k.add(k.asm("machine_check", ENTRY + ":563-567")
        .step("pushl $0: no error code from the CPU", x -> x.push(0))
        .step("pushl machine_check_vector: its value, intel_machine_check (set by "
            + "intel_p6_mcheck_init, p6.c@2.6.11:83-97), in what becomes the es slot",
            x -> x.push(k.symbol("intel_machine_check")))
        .step("jmp error_code", x -> x.jumpTo(k.symbol("error_code"))).build());
    buildErrorCode(k);
    k.add(k.asm("ret_from_exception", ENTRY + ":159-161")
        .step("preempt_stop: cli under CONFIG_PREEMPT; then ret_from_intr, which follows it", x -> {
          if (k.profile.config("PREEMPT")) {
            k.arch.irqDisable(x);
          }
          x.jumpTo(k.symbol("ret_from_intr"));
        }).build());
    buildHandlers(k);
  }

  /** error_code (entry.S@2.6.11:379-403). */
  private static void buildErrorCode(Kernel k) {
    RoutineBuilder b = k.asm("error_code", ENTRY + ":379-403")
        .step("pushl %ds", x -> x.push(x.reg("ds")))
        .step("pushl %eax; xorl %eax, %eax", x -> {
          x.push(x.reg("eax"));
          x.set("eax", 0);
        });
    for (String r : new String[] {"ebp", "edi", "esi", "edx"}) {
      b.step("pushl %" + r, x -> x.push(x.reg(r)));
    }
    b.step("decl %eax: eax = -1", x -> x.set("eax", 0xffffffffL))
        .step("pushl %ecx", x -> x.push(x.reg("ecx")))
        .step("pushl %ebx", x -> x.push(x.reg("ebx")));
    k.add(b.step("cld; movl %es, %ecx; movl ES(%esp), %edi: the handler; movl ORIG_EAX(%esp), "
            + "%edx: the error code; movl %eax, ORIG_EAX(%esp): -1; movl %ecx, ES(%esp)", x -> {
              long regs = x.sp();
              x.set("ecx", x.reg("es"));
              x.set("edi", x.read(regs + k.off("pt_regs", "xes")));
              x.set("edx", x.read(regs + k.off("pt_regs", "orig_eax")));
              x.write(regs + k.off("pt_regs", "orig_eax"), x.reg("eax"));
              x.write(regs + k.off("pt_regs", "xes"), x.reg("ecx"));
            })
        .step("movl $(__USER_DS), %ecx; movl %ecx, %ds; movl %ecx, %es; movl %esp, %eax: the "
            + "pt_regs", x -> {
              x.set("ds", I386.USER_DS);
              x.set("es", I386.USER_DS);
              x.set("eax", x.sp());
            })
        .callVia("call *%edi: handler(regs, error_code), fastcall", x -> x.reg("edi"),
            x -> new long[] {x.reg("eax"), x.reg("edx")}, null)
        .step("jmp ret_from_exception", x -> x.jumpTo(k.symbol("ret_from_exception"))).build());
  }

  private static void buildHandlers(Kernel k) {
    k.add(k.c("do_debug", TRAPS + ":681-748").params("regs", "error_code")
        .step("condition = %db6 (0); notify_die(DIE_DEBUG, ...) is not stopped; if (regs->eflags "
            + "& X86_EFLAGS_IF) local_irq_enable()", x -> {
              if ((x.read(x.local("regs") + k.off("pt_regs", "eflags")) & I386.EFLAGS_IF) != 0) {
                k.arch.irqEnable(x);
              }
            })
        .step("no DR_TRAPn, not vm86: tsk->thread.debugreg[6] = condition; no DR_STEP; "
            + "send_sigtrap(tsk, regs, error_code); clear_dr7: %db7 = 0", x -> X86Traps.note(k, x,
                "#DB", "DR6 = 0: 2.6.11 sends SIGTRAP to pid " + k.pid(k.current(x))
                    + " whatever the mode (signal delivery is not modelled)"))
        .retVoid().build());
    k.add(k.c("intel_machine_check", "arch/i386/kernel/cpu/mcheck/p6.c@2.6.11:20-80")
        .params("regs", "error_code")
        .step("rdmsr MCG_STATUS (RIPV set: recover stays possible); printk(\"CPU %d: Machine Check "
            + "Exception\"); for each bank: rdmsr MCi_STATUS: none valid; wrmsr MCG_STATUS &= ~MCIP",
            x -> X86Traps.note(k, x, "#MC", "MCG_STATUS has RIPV and no MCA bank holds a valid "
                + "error: nothing to recover; the handler returns"))
        .retVoid().build());
  }
}
