package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.Routine;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * i386 interrupts at 6.19 (docs/research/i386-and-2.x.md §5.7): idtentry stubs save pt_regs (moved
 * from the entry stack to the task stack when the interrupt came from user mode) and call the C
 * handler; common_interrupt → __common_interrupt → __handle_irq switches to the per-CPU hardirq
 * stack only when the interrupt came from kernel mode (irq_32.c@6.19:148-157); system vectors such
 * as the APIC timer stay on the interrupted stack (irq_stack.h@6.19:222-239).
 */
final class I386Irq619 {
  enum L implements Local { cpu, error_code, regs, vector }

  private I386Irq619() {}

  static final String ENTRY = "arch/x86/entry/entry_32.S";

  static void build(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY);
    for (int v = I386Irq.FIRST_EXTERNAL_VECTOR; v < I386Irq.FIRST_EXTERNAL_VECTOR + I386Irq.STUBS; v++) {
      long pushed = (byte) v & 0xffffffffL; // push imm8 sign-extends: vectors >= 0x80 go negative
      stubs.step("pushl $0x" + Integer.toHexString(v) + " (.byte 0x6a, vector): the vector, "
              + "sign-extended, in the error-code slot", x -> x.push(pushed))
          .step("jmp asm_common_interrupt", k.image.jump("asm_common_interrupt"));
    }
    k.image.add(stubs.build());
    k.image.add(idtentryIrq(k, "common_interrupt"));
    k.image.add(idtentry(k, "sysvec_apic_timer_interrupt", false));
    buildHandleException(k);
    // DEFINE_IDTENTRY_IRQ / DEFINE_IDTENTRY_SYSVEC (idtentry.h@6.19:206-222, 248-272) with the
    // 32-bit run_*_on_irqstack_cond (irq_stack.h@6.19:222-239)
    String idt = "arch/x86/include/asm/idtentry.h (DEFINE_IDTENTRY_IRQ / _SYSVEC)";
    k.image.add(k.image.c("common_interrupt", idt).params(L.regs, L.error_code).locals(L.vector)
        .step("state = irqentry_enter(regs); vector = (u32)(u8)error_code; "
            + "kvm_set_cpu_l1tf_flush_l1d(); run_irq_on_irqstack_cond() [32-bit: no switch here, "
            + "__handle_irq's]", x -> x.set(L.vector, x.get(L.error_code) & 0xff))
        .call("irq_enter_rcu()", "irq_enter_rcu", Args.inPlace())
        .call("__common_interrupt(regs, vector)", "__common_interrupt",
            Args.of(x -> x.get(L.regs), x -> x.get(L.vector)))
        .call("irq_exit_rcu()", "irq_exit_rcu", Args.inPlace())
        .call("irqentry_exit(regs, state)", "irqentry_exit", Args.of(x -> x.get(L.regs), x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("__common_interrupt", "arch/x86/kernel/irq.c").params(L.regs, L.vector)
        .call("old_regs = set_irq_regs(regs); call_irq_handler(vector, regs) [inline]: desc = "
            + "__this_cpu_read(vector_irq[vector]); handle_irq() [inline] -> __handle_irq(desc, "
            + "regs)", "__handle_irq", Args.of(x -> x.get(L.vector), x -> x.get(L.regs)))
        .step("set_irq_regs(old_regs)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("sysvec_apic_timer_interrupt", idt).params(L.regs)
        .step("state = irqentry_enter(regs); kvm_set_cpu_l1tf_flush_l1d(); "
            + "run_sysvec_on_irqstack_cond() [32-bit: system vectors always run on the stack they "
            + "interrupted]", x -> { })
        .call("irq_enter_rcu()", "irq_enter_rcu", Args.inPlace())
        .call("__sysvec_apic_timer_interrupt(regs)", "__sysvec_apic_timer_interrupt",
            Args.of(x -> x.get(L.regs)))
        .call("irq_exit_rcu()", "irq_exit_rcu", Args.inPlace())
        .call("irqentry_exit(regs, state)", "irqentry_exit", Args.of(x -> x.get(L.regs), x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("__sysvec_apic_timer_interrupt", "arch/x86/kernel/apic/apic.c").params(L.regs)
        .step("old_regs = set_irq_regs(regs); apic_eoi(); trace_local_timer_entry()", x -> { })
        .call("local_apic_timer_interrupt()", "local_apic_timer_interrupt", Args.inPlace())
        .step("trace_local_timer_exit(); set_irq_regs(old_regs)", x -> { })
        .retVoid().build());
    kstack.arch.x86.ApicTimer.buildLocalApicTimerInterrupt(k);
    I386Irq.buildHandleIrq(k, "__handle_irq", "hardirq_stack_ptr");
    I386Irq.buildSoftirqStack(k, "softirq_stack_ptr");
    k.image.add(k.image.c("irq_init_percpu_irqstack", "arch/x86/kernel/irq_32.c").params(L.cpu)
        .step("per_cpu(hardirq_stack_ptr, cpu) = page_address(alloc_pages_node(cpu_to_node(cpu), "
            + "THREADINFO_GFP, THREAD_SIZE_ORDER)); the same for softirq_stack_ptr",
            x -> I386Irq.irqCtxInit(k, (int) x.get(L.cpu), "hardirq_stack_ptr", "softirq_stack_ptr"))
        .retVoid().build());
    buildNmi(k);
  }

  /**
   * The idtentry_irq stub asm_FUNC (entry_32.S@6.19:638-650; idtentry.h@6.19:493-494), used for
   * common_interrupt: a full SAVE_ALL of its own, the vector from the orig_ax slot as the second
   * argument, -1 left there, then handle_exception_return.
   */
  private static Routine idtentryIrq(Kernel k, String cfunc) {
    return I386Entry619.saveAll(k, k.image.asm("asm_" + cfunc, ENTRY).step("ASM_CLAC", x -> { }), false)
        .step("ENCODE_FRAME_POINTER; movl %esp, %eax; movl PT_ORIG_EAX(%esp), %edx (the vector); "
            + "movl $-1, PT_ORIG_EAX(%esp): no system call to restart", x -> {
              x.setFp(x.sp() & 0x7fffffffL);
              takeErrorCode(k, x);
              x.set(Regs.eax, x.sp());
            })
        .call("call " + cfunc, cfunc, Args.of(x -> x.reg(Regs.eax), x -> x.reg(Regs.edx)))
        .step("jmp handle_exception_return", k.image.jump("handle_exception_return"))
        .build();
  }

  /**
   * The idtentry stub asm_FUNC (entry_32.S@6.19:622-636), which DECLARE_IDTENTRY and so
   * DECLARE_IDTENTRY_SYSVEC emit on 32-bit (idtentry.h@6.19:477-478, 497-498): a 0 for the error
   * code the CPU did not push, the C handler's address in the slot SAVE_ALL leaves as pt_regs->gs,
   * and the common handle_exception.
   */
  static Routine idtentry(Kernel k, String cfunc, boolean hasErrorCode) {
    RoutineBuilder b = k.image.asm("asm_" + cfunc, ENTRY);
    if (hasErrorCode) {
      b.step("ASM_CLAC; cld (the CPU pushed the error code)", x -> { });
    } else {
      b.step("ASM_CLAC; cld; pushl $0: no error code from the CPU, so a zero in its slot "
          + "(pt_regs->orig_ax)", x -> x.push(0));
    }
    return b.step("pushl $" + cfunc + ": the C handler's address, in what becomes pt_regs->gs",
            x -> x.push(k.image.symbol(cfunc)))
        .step("jmp handle_exception", k.image.jump("handle_exception"))
        .build();
  }

  /** movl PT_ORIG_EAX(%esp), %edx; movl $-1, PT_ORIG_EAX(%esp): the error code out, -1 in. */
  private static void takeErrorCode(Kernel k, Exec x) {
    long orig = x.sp() + PtRegs.orig_ax.off(k);
    x.set(Regs.edx, x.read(orig));
    x.write(orig, -1);
  }

  /**
   * handle_exception (entry_32.S@6.19:1032-1069): SAVE_ALL switch_stacks=1 skip_gs=1
   * unwind_espfix=1 below the stub's two words, the handler's address from PT_GS into %edi, the
   * error code from PT_ORIG_EAX into %edx (-1 stored there), %eax = pt_regs, CALL_NOSPEC %edi; then
   * handle_exception_return: iret to kernel mode here, or to user mode through
   * restore_all_switch_stack.
   */
  private static void buildHandleException(Kernel k) {
    k.image.add(I386Entry619.saveAll(k, k.image.asm("handle_exception", ENTRY), false, true, true)
        .step("ENCODE_FRAME_POINTER; movl PT_GS(%esp), %edi: the handler's address", x -> {
          x.setFp(x.sp() & 0x7fffffffL);
          x.set(Regs.edi, x.read(x.sp() + PtRegs.gs.off(k)));
        })
        .step("movl PT_ORIG_EAX(%esp), %edx: the error code; movl $-1, PT_ORIG_EAX(%esp): no system "
            + "call to restart; movl %esp, %eax: the pt_regs", x -> {
              takeErrorCode(k, x);
              x.set(Regs.eax, x.sp());
            })
        .callVia("CALL_NOSPEC edi", x -> x.reg(Regs.edi), Args.of(x -> x.reg(Regs.eax), x -> x.reg(Regs.edx)),
            null)
        .globalLabel("handle_exception_return")
        .branchIf("user", "movl PT_CS(%esp), %eax; andl $SEGMENT_RPL_MASK, %eax; cmpl $USER_RPL, "
            + "%eax; jnb ret_to_user", x -> (x.read(x.sp() + PtRegs.cs.off(k)) & 3) == 3)
        .step("PARANOID_EXIT_TO_KERNEL_MODE: CS_FROM_ENTRY_STACK? clear it and copy TSS.sp1 - esp "
            + "bytes back below TSS.sp0, the entry stack, and move there", x ->
                I386Entry619.paranoidExitToKernelMode(k, x))
        .step("RESTORE_REGS 4: popl %ebx .. %eax, %ds, %es, %fs; skip the gs and orig_ax slots",
            I386Entry619::restoreRegs4)
        .step("jmp .Lirq_return: iret", x -> I386Entry.iret(k, x))
        .label("user")
        .step("ret_to_user: movl %esp, %eax; jmp restore_all_switch_stack",
            k.image.jump("restore_all_switch_stack")).build());
  }

  /**
   * asm_exc_nmi (entry_32.S@6.19): the NMI saves pt_regs where it landed; taken on the entry stack
   * (from user mode) it calls exc_nmi on the top of the task stack, then comes back.
   */
  private static void buildNmi(Kernel k) {
    k.image.add(I386Entry619.saveAll(k, k.image.asm("asm_exc_nmi", ENTRY)
            .step("ASM_CLAC; pushl %eax: pt_regs->orig_ax (SAVE_ALL_NMI)", x -> x.push(x.reg(Regs.eax))),
            false, false, false)
        .step("ENCODE_FRAME_POINTER; xorl %edx, %edx; movl %esp, %eax; on the entry stack "
            + "(.Lnmi_from_sysenter_stack)? movl %esp, %ebx; movl PER_CPU_VAR("
            + "cpu_current_top_of_stack), %esp: run the handler on the task stack's top", x -> {
              x.setFp(x.sp() & 0x7fffffffL);
              x.set(Regs.eax, x.sp());
              x.set(Regs.ebx, x.sp());
              if (I386Entry619.onEntryStack(k, x)) {
                x.setSp(x.read(I386Entry.fs(k, x, "cpu_current_top_of_stack")));
              }
            })
        .call("call exc_nmi", "exc_nmi", Args.of(x -> x.reg(Regs.eax)))
        .step("movl %ebx, %esp: back where the pt_regs are", x -> x.setSp(x.reg(Regs.ebx)))
        .step(".Lnmi_return: CHECK_AND_APPLY_ESPFIX; RESTORE_ALL_NMI pop=4",
            I386Entry619::restoreRegs4)
        .step("jmp .Lirq_return: iret", x -> I386Entry.iret(k, x, true)).build());
    k.image.add(k.image.c("exc_nmi", "arch/x86/kernel/nmi.c").params(L.regs)
        .step("this_cpu_write(nmi_state, NMI_EXECUTING); irqentry_nmi_enter(regs)", x -> { })
        .call("default_do_nmi(regs)", "default_do_nmi", Args.of(x -> x.get(L.regs)))
        .step("irqentry_nmi_exit(regs, irq_state)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("default_do_nmi", "arch/x86/kernel/nmi.c").params(L.regs)
        .step("nmi_handle(NMI_LOCAL, regs): no handler claims it (unknown_nmi_error is not modelled)",
            x -> k.timeline.emit(new Event.NmiHandled(x.cpu().id(),
                Event.NmiPath.EXC_NMI, "esp", x.sp())))
        .retVoid().build());
  }
}
