package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * i386 interrupts at 2.6.32 (docs/research/i386-and-2.x.md §3.8, §6): common_interrupt builds
 * pt_regs where the CPU left it and calls do_IRQ, with no frame-pointer marker. Without
 * CONFIG_4KSTACKS everything runs on the interrupted task's stack. With it, handle_irq's inline
 * execute_on_irq_stack moves to this CPU's hardirq irq_ctx (unless already there), whatever mode
 * was interrupted, copying the task pointer into the irq_ctx's own thread_info; do_softirq moves
 * to the softirq irq_ctx (irq_32.c@2.6.32:78-213).
 */
final class I386Irq2632 {
  enum L implements Local { cpu, error_code, irq, regs }

  private I386Irq2632() {}

  static final String ENTRY = "arch/x86/kernel/entry_32.S";
  static final String IRQ32 = "arch/x86/kernel/irq_32.c";

  /** 2.6.32's interrupt path (ret_from_intr's shape is ThreadInfoEntry's; 4KSTACKS uses IrqCtx). */
  static void build(Kernel k) {
    buildEntries(k);
    buildNmi(k);
    kstack.arch.x86.DoIrq.buildExitIdle(k);
    kstack.arch.x86.ApicTimer.buildLocalApicTimerInterrupt(k);
    buildHandleIrq(k);
    buildIrqCtxInit(k);
    buildSoftirq(k);
  }

  private static void buildEntries(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY);
    for (int v = I386Irq.FIRST_EXTERNAL_VECTOR; v < I386Irq.FIRST_EXTERNAL_VECTOR + I386Irq.STUBS; v++) {
      int vec = v;
      stubs.step("pushl $(~0x" + Integer.toHexString(vec) + " + 0x80): the vector", x -> x.push(~vec + 0x80))
          .step("jmp common_interrupt", k.image.jump("common_interrupt"));
    }
    k.image.add(stubs.build());
    k.image.add(entry(k, k.image.asm("common_interrupt", ENTRY)
        .step("addl $-0x80, (%esp): orig_ax = ~vector", x -> x.write(x.sp(), x.read(x.sp()) - 0x80)),
        "do_IRQ"));
    k.image.add(entry(k, k.image.asm("apic_timer_interrupt", ENTRY)
        .step("BUILD_INTERRUPT: pushl $~(LOCAL_TIMER_VECTOR): orig_ax", x -> x.push(~k.arch.timerVector())),
        "smp_apic_timer_interrupt"));
    buildRetFromIntr(k);
  }

  private static void buildNmi(Kernel k) {
    k.image.add(I386Entry.saveAll(k, k.image.asm("nmi", ENTRY)
            .step("RING0_INT_FRAME; (not on the sysenter stack); pushl %eax: pt_regs->orig_ax",
                x -> x.push(x.reg(Regs.eax))), false)
        .step("xorl %edx, %edx (error code 0); movl %esp, %eax", x -> x.set(Regs.eax, x.sp()))
        .call("call do_nmi", "do_nmi", Args.of(x -> x.reg(Regs.eax), x -> 0))
        .step("jmp restore_all_notrace", x -> x.jumpTo(k.image.symbol("restore_all") + 4)).build());
    k.image.add(k.image.c("do_nmi", "arch/x86/kernel/traps.c").params(L.regs, L.error_code)
        .step("nmi_enter(); inc_irq_stat(__nmi_count)", x -> { })
        .call("default_do_nmi(regs)", "default_do_nmi", Args.of(x -> x.get(L.regs)))
        .step("nmi_exit()", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("default_do_nmi", "arch/x86/kernel/traps.c").params(L.regs)
        .step("reason = get_nmi_reason(); notify_die(DIE_NMI); no handler claims it "
            + "(unknown_nmi_error is not modelled)", x -> k.timeline.emit(new Event.NmiHandled(
                x.cpu().id(), Event.NmiPath.INTERRUPTED_STACK, "esp", x.sp())))
        .retVoid().build());
  }

  private static void buildRetFromIntr(Kernel k) {
    // resume_kernel, entry_32.S@2.6.32.67:371-383 (CONFIG_PREEMPT; without it resume_kernel is
    // restore_nocheck)
    k.image.add(ThreadInfoEntry.retFromIntr(k, k.image.asm("ret_from_intr", ENTRY),
        "check_userspace: movl PT_EFLAGS(%esp), %eax; movb PT_CS(%esp), %al; "
            + "andl $(X86_EFLAGS_VM | SEGMENT_RPL_MASK), %eax; cmpl $USER_RPL, %eax; jb resume_kernel",
        "LOCKDEP_SYS_EXIT; DISABLE_INTERRUPTS; movl TI_flags(%ebp), %ecx",
        "resume_kernel: DISABLE_INTERRUPTS; cmpl $0, TI_preempt_count(%ebp); jnz restore_all",
        "need_resched: testb $_TIF_NEED_RESCHED, TI_flags(%ebp); jz restore_all; "
            + "testl $X86_EFLAGS_IF, PT_EFLAGS(%esp); jz restore_all", ThreadInfoEntry.RUN_QUEUE).build());
  }

  private static kstack.exec.Routine entry(Kernel k, RoutineBuilder b, String handler) {
    return I386Entry.saveAll(k, b, false)
        .step("TRACE_IRQS_OFF; movl %esp, %eax: the pt_regs (no frame-pointer marker in 2.6.32)",
            x -> x.set(Regs.eax, x.sp()))
        .call("call " + handler, handler, Args.of(x -> x.reg(Regs.eax)))
        .step("jmp ret_from_intr", k.image.jump("ret_from_intr")).build();
  }

  private static boolean stacks4k(Kernel k) {
    return k.profile.config("4KSTACKS");
  }

  private static void buildHandleIrq(Kernel k) {
    RoutineBuilder b = k.image.c("handle_irq", IRQ32).params(L.irq, L.regs)
        .step("overflow = check_stack_overflow() (CONFIG_DEBUG_STACKOVERFLOW off); "
            + "desc = irq_to_desc(irq)", x -> { });
    if (stacks4k(k)) {
      b.branchIf("here", "if (!execute_on_irq_stack(overflow, desc, irq)) [inline]: curctx = "
              + "current_thread_info(); irqctx = __get_cpu_var(hardirq_ctx); already on it?",
              x -> (x.sp() & -k.threadSize) == k.readPtr(I386Entry.fs(k, x, "hardirq_ctx")))
          .step("isp = irqctx + sizeof(*irqctx); irqctx->tinfo.task = curctx->tinfo.task; "
              + "irqctx->tinfo.previous_esp = current_stack_pointer; copy the SOFTIRQ bits of "
              + "preempt_count; xchgl %ebx, %esp", x -> IrqCtx.switchTo(k, x, "hardirq_ctx", "execute_on_irq_stack"))
          .callVia("call *%edi: desc->handle_irq(irq, desc) = handle_edge_irq",
              x -> k.image.symbol("handle_edge_irq"), Args.of(x -> x.get(L.irq), x -> 0), null)
          .step("movl %ebx, %esp: back on the interrupted stack", x -> x.setSp(x.reg(Regs.ebx)))
          .ret("return true", x -> 1)
          .label("here");
    } else {
      b.step("execute_on_irq_stack() is a stub without CONFIG_4KSTACKS (irq_32.c@2.6.32:190-193): "
          + "stay on the task stack", x -> { });
    }
    k.image.add(b.call("desc->handle_irq(irq, desc) = handle_edge_irq, on the current stack",
            "handle_edge_irq", Args.of(x -> x.get(L.irq), x -> 0)) // desc: 0, as on x86_64 2.6.32
        .ret("return true", x -> 1).build());
  }

  private static void buildIrqCtxInit(Kernel k) {
    k.image.add(k.image.c("irq_ctx_init", IRQ32).params(L.cpu)
        .step(stacks4k(k) ? "hardirq_ctx = &per_cpu(hardirq_stack, cpu): tinfo.cpu = cpu, "
                + "tinfo.preempt_count = HARDIRQ_OFFSET, tinfo.addr_limit = MAKE_MM_SEG(0); "
                + "softirq_ctx = &per_cpu(softirq_stack, cpu) likewise, preempt_count 0"
                : "(a no-op macro without CONFIG_4KSTACKS: asm/irq.h@2.6.32:27)",
            x -> irqCtxInit(k, (int) x.get(L.cpu)))
        .retVoid().build());
  }

  static void irqCtxInit(Kernel k, int cpu) {
    if (stacks4k(k)) {
      IrqCtx.init(k, cpu, 0);
    }
  }

  /**
   * do_softirq: with 4KSTACKS the asmlinkage one of irq_32.c@2.6.32:159-188, which runs
   * __do_softirq on the softirq irq_ctx; without, the generic one of kernel/softirq.c.
   */
  private static void buildSoftirq(Kernel k) {
    RoutineBuilder b = k.image.c("do_softirq", stacks4k(k) ? IRQ32 : "kernel/softirq.c").params().asmlinkage()
        .branchIf("out", "if (in_interrupt()) return; local_irq_save(flags); "
            + "if (!local_softirq_pending()) goto out", x -> k.timers.softirqPending(x.cpu().id()) == 0);
    if (stacks4k(k)) {
      b.step("curctx = current_thread_info(); irqctx = __get_cpu_var(softirq_ctx); "
              + "irqctx->tinfo.task = curctx->task; irqctx->tinfo.previous_esp = "
              + "current_stack_pointer; call_on_stack: xchgl %ebx, %esp",
              x -> IrqCtx.switchTo(k, x, "softirq_ctx", "do_softirq"))
          .call("call *%edi = __do_softirq", "__do_softirq", Args.inPlace())
          .step("movl %ebx, %esp: back", x -> x.setSp(x.reg(Regs.ebx)));
    } else {
      b.call("__do_softirq() on the current stack", "__do_softirq", Args.inPlace());
    }
    k.image.add(b.label("out")
        .step("local_irq_restore(flags)", x -> { })
        .retVoid().build());
  }
}
