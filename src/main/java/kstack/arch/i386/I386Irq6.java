package kstack.arch.i386;

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
final class I386Irq6 {
  private I386Irq6() {}

  static final String ENTRY = "arch/x86/entry/entry_32.S";

  static void build(Kernel k) {
    RoutineBuilder stubs = k.asm("irq_entries_start", ENTRY);
    for (int v = I386Irq.FIRST_EXTERNAL_VECTOR; v < I386Irq.FIRST_EXTERNAL_VECTOR + I386Irq.STUBS; v++) {
      int vec = v;
      stubs.step("pushl $0x" + Integer.toHexString(vec) + ": the vector, in the error-code slot",
              x -> x.push(vec))
          .step("jmp asm_common_interrupt", x -> x.jumpTo(k.symbol("asm_common_interrupt")));
    }
    k.add(stubs.build());
    k.add(idtentry(k, k.asm("asm_common_interrupt", ENTRY), "common_interrupt"));
    k.add(idtentry(k, k.asm("asm_sysvec_apic_timer_interrupt", ENTRY)
        .step("pushl $-1: orig_ax, no system call to restart", x -> x.push(-1)),
        "sysvec_apic_timer_interrupt"));
    k.add(k.asm("handle_exception_return", ENTRY)
        .branchIf("user", "movl PT_CS(%esp), %eax; andl $SEGMENT_RPL_MASK, %eax; cmpl $USER_RPL, "
            + "%eax; jnb ret_to_user", x -> (x.read(x.sp() + k.off("pt_regs", "cs")) & 3) == 3)
        .step("RESTORE_REGS 4", x -> {
          for (String r : new String[] {"ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "ds",
              "es", "fs"}) {
            x.set(r, x.pop());
          }
          x.setSp(x.sp() + 8);
        })
        .step(".Lirq_return: iret", x -> I386Entry.iret(k, x))
        .label("user")
        .step("ret_to_user: movl %esp, %eax; jmp restore_all_switch_stack",
            x -> x.jumpTo(k.symbol("restore_all_switch_stack"))).build());
    String idt = "arch/x86/include/asm/idtentry.h (DEFINE_IDTENTRY_IRQ / _SYSVEC)";
    k.add(k.c("common_interrupt", idt).params("regs", "vector")
        .step("state = irqentry_enter(regs); run_irq_on_irqstack_cond() [32-bit: the switch is "
            + "__handle_irq's]", x -> { })
        .call("irq_enter_rcu()", "irq_enter_rcu", null)
        .call("__common_interrupt(regs, vector)", "__common_interrupt",
            x -> new long[] {x.local("regs"), x.local("vector")})
        .call("irq_exit_rcu()", "irq_exit_rcu", null)
        .call("irqentry_exit(regs, state)", "irqentry_exit", x -> new long[] {x.local("regs"), 0})
        .retVoid().build());
    k.add(k.c("__common_interrupt", "arch/x86/kernel/irq.c").params("regs", "vector")
        .call("desc = __this_cpu_read(vector_irq[vector]); call_irq_handler() -> handle_irq() "
            + "[both inline] -> __handle_irq(desc, regs)", "__handle_irq",
            x -> new long[] {x.local("vector"), x.local("regs")})
        .retVoid().build());
    k.add(k.c("sysvec_apic_timer_interrupt", idt).params("regs")
        .step("state = irqentry_enter(regs); run_sysvec_on_irqstack_cond() [32-bit: system vectors "
            + "always run on the stack they interrupted]", x -> { })
        .call("irq_enter_rcu()", "irq_enter_rcu", null)
        .call("__sysvec_apic_timer_interrupt(regs)", "__sysvec_apic_timer_interrupt",
            x -> new long[] {x.local("regs")})
        .call("irq_exit_rcu()", "irq_exit_rcu", null)
        .call("irqentry_exit(regs, state)", "irqentry_exit", x -> new long[] {x.local("regs"), 0})
        .retVoid().build());
    k.add(k.c("__sysvec_apic_timer_interrupt", "arch/x86/kernel/apic/apic.c").params("regs")
        .step("apic_eoi(); trace_local_timer_entry(); inc_irq_stat(apic_timer_irqs)", x -> { })
        .call("local_apic_timer_interrupt()", "local_apic_timer_interrupt", null)
        .retVoid().build());
    kstack.arch.x86_64.X86Irq.buildLocalApicTimer(k);
    I386Irq.buildHandleIrq(k, "__handle_irq", "hardirq_stack_ptr");
    I386Irq.buildSoftirqStack(k, "softirq_stack_ptr");
    k.add(k.c("irq_init_percpu_irqstack", "arch/x86/kernel/irq_32.c").params("cpu")
        .step("per_cpu(hardirq_stack_ptr, cpu) = page_address(alloc_pages_node(cpu_to_node(cpu), "
            + "THREADINFO_GFP, THREAD_SIZE_ORDER)); the same for softirq_stack_ptr",
            x -> I386Irq.irqCtxInit(k, (int) x.local("cpu"), "hardirq_stack_ptr", "softirq_stack_ptr"))
        .retVoid().build());
    buildNmi(k);
  }

  /** An idtentry stub (entry_32.S@6.19 idtentry / idtentry_irq): SAVE_ALL, then the C handler. */
  private static kstack.exec.Routine idtentry(Kernel k, RoutineBuilder b, String handler) {
    return I386Entry6.saveAll(k, b.step("ASM_CLAC", x -> { }), false)
        .step("ENCODE_FRAME_POINTER; movl %esp, %eax; movl PT_ORIG_EAX(%esp), %edx (the vector or "
            + "error code); movl $-1, PT_ORIG_EAX(%esp)", x -> {
              x.setFp(x.sp() & 0x7fffffffL);
              x.set("eax", x.sp());
              x.set("edx", x.read(x.sp() + k.off("pt_regs", "orig_ax")));
              x.write(x.sp() + k.off("pt_regs", "orig_ax"), -1);
            })
        .call("call " + handler, handler, x -> new long[] {x.reg("eax"), x.reg("edx")})
        .step("jmp handle_exception_return", x -> x.jumpTo(k.symbol("handle_exception_return")))
        .build();
  }

  /**
   * asm_exc_nmi (entry_32.S@6.19): the NMI saves pt_regs where it landed; taken on the entry stack
   * (from user mode) it calls exc_nmi on the top of the task stack, then comes back.
   */
  private static void buildNmi(Kernel k) {
    k.add(I386Entry6.saveAll(k, k.asm("asm_exc_nmi", ENTRY)
            .step("ASM_CLAC; pushl %eax: pt_regs->orig_ax (SAVE_ALL_NMI)", x -> x.push(x.reg("eax"))),
            false, false)
        .step("ENCODE_FRAME_POINTER; xorl %edx, %edx; movl %esp, %eax; on the entry stack "
            + "(.Lnmi_from_sysenter_stack)? movl %esp, %ebx; movl PER_CPU_VAR("
            + "cpu_current_top_of_stack), %esp: run the handler on the task stack's top", x -> {
              x.setFp(x.sp() & 0x7fffffffL);
              x.set("eax", x.sp());
              x.set("ebx", x.sp());
              if (I386Entry6.onEntryStack(k, x)) {
                x.setSp(x.read(I386Entry.fs(k, x, "cpu_current_top_of_stack")));
              }
            })
        .call("call exc_nmi", "exc_nmi", x -> new long[] {x.reg("eax")})
        .step("movl %ebx, %esp: back where the pt_regs are", x -> x.setSp(x.reg("ebx")))
        .step(".Lnmi_return: CHECK_AND_APPLY_ESPFIX; RESTORE_ALL_NMI pop=4", x -> {
          for (String r : new String[] {"ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "ds",
              "es", "fs"}) {
            x.set(r, x.pop());
          }
          x.setSp(x.sp() + 8);
        })
        .step("jmp .Lirq_return: iret", x -> I386Entry.iret(k, x, true)).build());
    k.add(k.c("exc_nmi", "arch/x86/kernel/nmi.c").params("regs")
        .step("this_cpu_write(nmi_state, NMI_EXECUTING); irqentry_nmi_enter(regs)", x -> { })
        .call("default_do_nmi(regs)", "default_do_nmi", x -> new long[] {x.local("regs")})
        .step("irqentry_nmi_exit(regs, irq_state)", x -> { })
        .retVoid().build());
    k.add(k.c("default_do_nmi", "arch/x86/kernel/nmi.c").params("regs")
        .step("nmi_handle(NMI_LOCAL, regs): no handler claims it (unknown_nmi_error is not modelled)",
            x -> k.timeline.emit(new Event.Note(x.cpu().id(), "exc_nmi",
                "NMI handled, esp 0x" + Long.toHexString(x.sp()))))
        .retVoid().build());
  }
}
