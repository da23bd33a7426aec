package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.trace.Event;

/**
 * #DB, #MC and the NMI at 2.4.22 (arch/i386/kernel/entry.S@2.4.22:274-398; traps.c@2.4.22:455-600,
 * 967-968,984; bluesmoke.c@2.4.22:20-112). {@code debug} and {@code machine_check} push a 0 error
 * code and their C handler's address and jump to {@code error_code}, which saves the rest of the
 * frame, takes the handler from the es slot and the error code from orig_eax (-1 left there), and
 * calls handler(regs, error_code) with both pushed (2.4 passes no register arguments). Both are
 * trap gates (set_trap_gate), so IF stays as it was; the NMI is an interrupt gate whose entry saves
 * all and calls do_nmi itself. Everything runs on the stack the CPU was on: the task's union.
 * The injected events carry nothing to handle (DR6 = 0, no valid MCA bank, port 0x61 reads 0).
 */
final class I386Traps24 {
  enum L implements Local { error_code, reason, regs }

  private I386Traps24() {}

  static final String ENTRY = I386Entry24.ENTRY;
  static final String TRAPS = "arch/i386/kernel/traps.c";

  static void build(Kernel k) {
    for (String[] t : new String[][] {{"debug", "do_debug"}, {"machine_check", "do_machine_check"}}) {
      k.image.add(k.image.asm(t[0], ENTRY)
          .step("pushl $0: no error code from the CPU", x -> x.push(0))
          .step("pushl $" + t[1] + ": the handler, in what becomes the es slot",
              x -> x.push(k.image.symbol(t[1])))
          .step("jmp error_code", k.image.jump("error_code")).build());
    }
    buildErrorCode(k);
    k.image.add(I386Entry24.saveAll(k.image.asm("nmi", ENTRY)
            .step("pushl %eax: orig_eax", x -> x.push(x.reg(Regs.eax))))
        .call("movl %esp, %edx; pushl $0; pushl %edx; call do_nmi(regs, 0)", "do_nmi",
            Args.of(x -> x.sp(), x -> 0))
        .step("RESTORE_ALL: pop the saved registers, skip orig_eax, iret", x -> {
          for (int r : Regs.RESTORE_ALL) {
            x.set(r, x.pop());
          }
          x.set(Regs.ds, x.pop());
          x.set(Regs.es, x.pop());
          x.setSp(x.sp() + 4);
          I386Entry.iret(k, x);
        }).build());
    buildHandlers(k);
  }

  /** error_code (entry.S@2.4.22:274-303). */
  private static void buildErrorCode(Kernel k) {
    RoutineBuilder b = k.image.asm("error_code", ENTRY);
    for (String r : new String[] {"ds", "eax", "ebp", "edi", "esi", "edx", "ecx", "ebx"}) {
      int ri = Regs.of(r);
      b.step("pushl %" + r, x -> x.push(x.reg(ri)));
    }
    k.image.add(b.step("cld; movl ORIG_EAX(%esp), %esi: the error code; movl ES(%esp), %edi: the "
            + "handler; movl $-1, ORIG_EAX(%esp); movl %es, ES(%esp)", x -> {
              long regs = x.sp();
              x.set(Regs.esi, x.read(regs + PtRegs.orig_ax.off(k)));
              x.set(Regs.edi, x.read(regs + PtRegs.es.off(k)));
              x.write(regs + PtRegs.orig_ax.off(k), -1);
              x.write(regs + PtRegs.es.off(k), x.reg(Regs.es));
            })
        .step("movl $(__KERNEL_DS), %edx; movl %edx, %ds; movl %edx, %es; GET_CURRENT(%ebx)", x -> {
          x.set(Regs.ds, I386Process24.KERNEL_DS);
          x.set(Regs.es, I386Process24.KERNEL_DS);
          x.set(Regs.ebx, x.sp() & -k.threadSize);
        })
        .callVia("pushl %esi; pushl %edx (the pt_regs); call *%edi; addl $8, %esp",
            x -> x.reg(Regs.edi), Args.of(x -> x.sp(), x -> x.reg(Regs.esi)), null)
        .step("jmp ret_from_exception", k.image.jump("ret_from_exception")).build());
  }

  private static void buildHandlers(Kernel k) {
    k.image.add(k.image.c("do_debug", TRAPS).params(L.regs, L.error_code)
        .step("condition = %db6 (0: no breakpoint hit, no single step); not a TF trap from the "
            + "kernel, not vm86; tsk->thread.debugreg[6] = condition", x -> { })
        .step("tsk->thread.trap_no = 1; tsk->thread.error_code = error_code; "
            + "force_sig_info(SIGTRAP, &info, tsk) (signals are not modelled); clear_dr7: "
            + "%db7 = 0 (traps.c@2.4.22:526-600)", x -> {
              long cur = k.current(x);
              k.tasks.taskWrite(cur, TaskMember.thread_trap_no, 1);
              k.tasks.taskWrite(cur, TaskMember.thread_error_code, x.get(L.error_code));
              k.timeline.emit(new Event.TrapHandled(x.cpu().id(), Event.TrapOutcome.DB_HANDLED, -1,
                  "", "esp", x.sp()));
            })
        .retVoid().build());
    k.image.add(k.image.c("do_machine_check", "arch/i386/kernel/bluesmoke.c").params(L.regs, L.error_code)
        .callVia("machine_check_vector(regs, error_code): intel_machine_check, installed by "
            + "mcheck_init on this CPU", x -> k.image.symbol("intel_machine_check"),
            Args.of(x -> x.get(L.regs), x -> x.get(L.error_code)), null)
        .retVoid().build());
    k.image.add(k.image.c("intel_machine_check", "arch/i386/kernel/bluesmoke.c").params(L.regs, L.error_code)
        .step("rdmsr MCG_STATUS (the injected one has RIPV set, so recover stays possible); "
            + "printk(\"Machine Check Exception\"); for each bank: rdmsr MCi_STATUS: none valid; "
            + "wrmsr MCG_STATUS &= ~MCIP (bluesmoke.c@2.4.22:20-69)", x -> k.timeline.emit(
                new Event.TrapHandled(x.cpu().id(), Event.TrapOutcome.MC_HANDLED, -1, "", "esp",
                    x.sp())))
        .retVoid().build());
    k.image.add(k.image.c("do_nmi", TRAPS).params(L.regs, L.error_code)
        .step("reason = inb(0x61) (0); ++nmi_count(cpu); none of the documented sources",
            x -> { })
        .call("unknown_nmi_error(reason, regs)", "unknown_nmi_error",
            Args.of(x -> 0, x -> x.get(L.regs)))
        .retVoid().build());
    k.image.add(k.image.c("unknown_nmi_error", TRAPS).params(L.reason, L.regs)
        .step("printk(\"Uhhuh. NMI received for unknown reason ...\") (traps.c@2.4.22:455-468)",
            x -> k.timeline.emit(new Event.NmiHandled(x.cpu().id(),
                Event.NmiPath.INTERRUPTED_STACK, "esp", x.sp())))
        .retVoid().build());
  }
}
